package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;

/** {@code /version}: the Kubernetes version Skiff implements, so clients see no version skew. */
public final class VersionInfo {
  public static final String MAJOR = "1";
  public static final String MINOR = "32";
  public static final String GIT_VERSION = "v1.32.0-skiff";

  private VersionInfo() {}

  public static ObjectNode document() {
    ObjectNode v = Json.object();
    v.put("major", MAJOR);
    v.put("minor", MINOR);
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "javac");
    v.put(
        "platform",
        System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT)
            + "/"
            + (System.getProperty("os.arch").equals("x86_64")
                ? "amd64"
                : System.getProperty("os.arch")));
    return v;
  }
}
