package dev.skiff.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The monitor's exit file: "EXITCODE OOMKILLED FINISHED_NANOS". */
record ExitInfo(int exitCode, boolean oomKilled, long finishedAt) {
  static Optional<ExitInfo> read(Path file) {
    try {
      if (!Files.exists(file)) return Optional.empty();
      String[] f = Files.readString(file).trim().split("\\s+");
      return Optional.of(
          new ExitInfo(Integer.parseInt(f[0]), f[1].equals("1"), Long.parseLong(f[2])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** CRI's reason for an exited container. */
  String reason() {
    if (oomKilled) return "OOMKilled";
    return exitCode == 0 ? "Completed" : "Error";
  }
}
