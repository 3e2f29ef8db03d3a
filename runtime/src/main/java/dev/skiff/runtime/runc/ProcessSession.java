package dev.skiff.runtime.runc;

import dev.skiff.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
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
  private final RandomAccessFile resizer;
  private final CompletableFuture<Integer> exit;

  ProcessSession(Process process, Path resizeFifo) {
    this.process = process;
    this.resizeFifo = resizeFifo;
    // Opened read-write, a fifo never blocks the opener, whether or not the monitor has it open.
    try {
      this.resizer = resizeFifo == null ? null : new RandomAccessFile(resizeFifo.toFile(), "rw");
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException(e);
    }
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
    if (resizer == null || width <= 0 || height <= 0) return;
    try {
      resizer.write((height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
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
    if (resizeFifo != null) {
      try {
        resizer.close();
      } catch (IOException e) {
        // Closing anyway.
      }
      deleteQuietly(resizeFifo);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Left in the run dir; harmless.
    }
  }
}
