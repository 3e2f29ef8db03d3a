package dev.skiff.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The offline busybox:1.35 test image archive, built once per test JVM as CI builds it. */
final class BusyboxImage {
  private static Path archive;

  private BusyboxImage() {}

  /** The archive made by {@code .ci/busybox-image.sh}, built on first use. */
  static synchronized Path archive() throws Exception {
    if (archive == null) {
      Path out = Path.of("target/test-images/busybox.tar").toAbsolutePath();
      Files.createDirectories(out.getParent());
      Path log = out.resolveSibling("busybox-image.log");
      Process p =
          new ProcessBuilder(
                  SkiffProcess.REPO.resolve(".ci/busybox-image.sh").toString(), out.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("busybox-image.sh hung:\n" + Files.readString(log));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("busybox-image.sh failed:\n" + Files.readString(log));
      }
      archive = out;
    }
    return archive;
  }
}
