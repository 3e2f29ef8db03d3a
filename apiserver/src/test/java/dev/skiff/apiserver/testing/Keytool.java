package dev.skiff.apiserver.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test keys from the JDK's keytool: PKCS12 stores, password {@code changeit}, valid two days. */
public final class Keytool {
  public static final char[] PASSWORD = "changeit".toCharArray();

  private Keytool() {}

  /**
   * Adds a new self-signed EC key for {@code dname} under {@code alias} to the store at {@code
   * file}, creating it if need be, and returns the store.
   *
   * @param extensions as keytool's {@code -ext}, e.g. {@code SAN=ip:127.0.0.1}
   */
  public static KeyStore addKey(Path file, String alias, String dname, String... extensions)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-dname",
                dname));
    for (String ext : extensions) {
      cmd.addAll(List.of("-ext", ext));
    }
    cmd.addAll(
        List.of(
            "-keystore",
            file.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            new String(PASSWORD),
            "-validity",
            "2"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + cmd + "\n" + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }
}
