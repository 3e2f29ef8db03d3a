package dev.skiff.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Skiff's version and the Kubernetes API version it serves, from the build. */
public final class BuildInfo implements CommandLine.IVersionProvider {
  private static final Properties PROPS = load();

  public static String version() {
    return PROPS.getProperty("version", "dev");
  }

  public static String kubernetesVersion() {
    return PROPS.getProperty("kubernetesVersion", "v1.32.0");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "skiff " + version(), "Kubernetes API " + kubernetesVersion(), "Java " + Runtime.version()
    };
  }

  private static Properties load() {
    var p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
