package dev.skiff.kubelet.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads pseudo-files such as {@code /proc/sys/kernel/pid_max}: they report size 0, so readers that
 * trust the size ({@code Files.readString}) return a truncated value; a stream reads them whole.
 */
final class ProcFiles {
  private ProcFiles() {}

  static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
