package dev.skiff.runtime;

import java.nio.charset.StandardCharsets;

/** Output and exit code of a command run to completion (CRI {@code ExecSyncResponse}). */
public record ExecSyncResponse(byte[] stdout, byte[] stderr, int exitCode) {
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
