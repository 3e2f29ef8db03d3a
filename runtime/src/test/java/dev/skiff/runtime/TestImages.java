package dev.skiff.runtime;

import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The offline busybox test image, built once per test JVM from the busybox-static package. */
public final class TestImages {
  private static Path busybox;

  private TestImages() {}

  public static synchronized Path busyboxArchive() throws Exception {
    if (busybox == null) {
      Path script = Path.of("../.ci/busybox-image.sh").toAbsolutePath().normalize();
      Path out = Path.of("target/test-images/busybox.tar").toAbsolutePath();
      Files.createDirectories(out.getParent());
      Command.run(List.of("bash", script.toString(), out.toString()), Duration.ofMinutes(2))
          .check();
      busybox = out;
    }
    return busybox;
  }

  /** A tar archive {@code dir/<name>.tar} holding one file, as a one-file image layer. */
  public static Path oneFileTar(Path dir, String name, String file, String content)
      throws IOException {
    Path files = Files.createDirectories(dir.resolve(name));
    Files.writeString(files.resolve(file), content);
    Path tar = dir.resolve(name + ".tar");
    Command.run(
            List.of("tar", "-cf", tar.toString(), "-C", files.toString(), "."),
            Duration.ofSeconds(30))
        .check();
    return tar;
  }

  /** Skips the calling test unless it runs as root (mounts, runc, namespaces). */
  public static void assumeRoot() {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root for mounts and namespaces");
  }
}
