package dev.skiff.runtime.runc;

import dev.skiff.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * An exec session backed by a local process ({@code runc exec}, or the monitor's exec mode for a
 * TTY, which takes terminal sizes through {@code resizeFifo}).
 */
final class ProcessSession implements StreamSession {
  private final Process process;
  private final Path resizeFifo;
  private final CompletableFuture<Integer> exit;

  ProcessSession(Process process, Path resizeFifo) {
    this.process = process;
    this.resizeFifo = resizeFifo;
    this.exit = process.onExit().thenApply(Process::exitValue);
    if (resizeFifo != null) exit.whenComplete((c, e) -> deleteQuietly(resizeFifo));
  }

  @Override
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  @Override
  public InputStream stdout() {
    return process.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return process.getErrorStream();
  }

  @Override
  public void resize(int width, int height) {
    if (resizeFifo == null || width <= 0 || height <= 0) return;
    // The monitor keeps the fifo open for reading, so this write does not block.
    try (OutputStream out = Files.newOutputStream(resizeFifo)) {
      out.write((height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // The session ended; there is no terminal to resize.
    }
  }

  @Override
  public CompletableFuture<Integer> exitCode() {
    return exit;
  }

  @Override
  public void close() {
    if (process.isAlive()) process.destroyForcibly();
    if (resizeFifo != null) deleteQuietly(resizeFifo);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Left in the run dir; harmless.
    }
  }
}
