package dev.skiff.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The streams of an exec or attach. {@code exitCode} completes when the process ends (for attach:
 * when the container exits, or with -1 when the session is closed first).
 */
public interface StreamSession extends AutoCloseable {
  OutputStream stdin();

  InputStream stdout();

  /** Empty with a TTY, where the terminal carries both streams. */
  InputStream stderr();

  /** Changes the terminal size; ignored without a TTY. */
  void resize(int width, int height);

  CompletableFuture<Integer> exitCode();

  @Override
  void close();
}
