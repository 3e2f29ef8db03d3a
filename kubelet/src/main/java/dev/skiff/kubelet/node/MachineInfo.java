package dev.skiff.kubelet.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the node is made of, read from the machine: CPUs, memory, root filesystem size and the
 * identifiers {@code kubectl describe node} shows under System Info.
 */
public record MachineInfo(
    int cpus,
    long memoryBytes,
    long filesystemBytes,
    String machineId,
    String systemUuid,
    String bootId,
    String kernelVersion,
    String osImage,
    String operatingSystem,
    String architecture) {

  /** Reads the running machine; {@code fsPath} is a path on the filesystem pods write to. */
  public static MachineInfo read(Path fsPath) {
    String machineId = firstLine(Path.of("/etc/machine-id"), "");
    String uuid = firstLine(Path.of("/sys/class/dmi/id/product_uuid"), machineId);
    try {
      return new MachineInfo(
          Runtime.getRuntime().availableProcessors(),
          Meminfo.read().totalBytes(),
          Files.getFileStore(existing(fsPath)).getTotalSpace(),
          machineId,
          uuid,
          firstLine(Path.of("/proc/sys/kernel/random/boot_id"), ""),
          firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")),
          readOsImage(),
          System.getProperty("os.name").toLowerCase(Locale.ROOT),
          goArch(System.getProperty("os.arch")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Java's {@code os.arch} in Go's spelling, which Kubernetes uses for {@code kubernetes.io/arch}.
   */
  static String goArch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> javaArch;
    };
  }

  private static Path existing(Path p) {
    Path q = p.toAbsolutePath();
    while (q != null && !Files.exists(q)) {
      q = q.getParent();
    }
    return q == null ? Path.of("/") : q;
  }

  private static String readOsImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // No os-release: fall through to the generic name.
    }
    return System.getProperty("os.name");
  }

  private static String firstLine(Path file, String fallback) {
    try {
      String s = ProcFiles.read(file);
      return s.isEmpty() ? fallback : s;
    } catch (IOException e) {
      return fallback;
    }
  }
}
