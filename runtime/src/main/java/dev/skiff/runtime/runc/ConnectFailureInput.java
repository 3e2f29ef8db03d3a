package dev.skiff.runtime.runc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The pod's side of a port-forward through the monitor: when the monitor could not connect (nothing
 * listens on the port), the end of its output is an error carrying the monitor's reason instead of
 * a clean end, so the client learns why.
 */
final class ConnectFailureInput extends FilterInputStream {
  private final Process monitor;

  ConnectFailureInput(Process monitor) {
    super(monitor.getInputStream());
    this.monitor = monitor;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      checkFailure();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      checkFailure();
    }
    return n;
  }

  private void checkFailure() throws IOException {
    String reason;
    try {
      // The monitor exits right after its output ends; its reason is at most one line.
      if (monitor.waitFor() == 0) {
        return;
      }
      reason = new String(monitor.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!reason.isEmpty()) {
      throw new IOException(reason.replaceFirst("^skiff-monitor: ", ""));
    }
  }
}
