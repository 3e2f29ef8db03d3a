package dev.skiff.kubelet.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The two numbers of {@code /proc/meminfo} the kubelet needs: total and available memory. */
public record Meminfo(long totalBytes, long availableBytes) {

  public static Meminfo read() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/meminfo")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Meminfo parse(List<String> lines) {
    long total = -1;
    long available = -1;
    for (String line : lines) {
      if (line.startsWith("MemTotal:")) {
        total = kib(line);
      } else if (line.startsWith("MemAvailable:")) {
        available = kib(line);
      }
    }
    if (total < 0) {
      throw new IllegalStateException("/proc/meminfo has no MemTotal");
    }
    return new Meminfo(total, available < 0 ? total : available);
  }

  private static long kib(String line) {
    String[] f = line.split("\\s+");
    return Long.parseLong(f[1]) * 1024;
  }
}
