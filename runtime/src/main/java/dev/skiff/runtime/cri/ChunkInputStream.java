package dev.skiff.runtime.cri;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/** An input stream fed chunk by chunk from a WebSocket listener; {@link #end} marks EOF. */
final class ChunkInputStream extends InputStream {
  private static final byte[] EOF = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  void offer(byte[] chunk) {
    if (chunk.length > 0) chunks.add(chunk);
  }

  void end() {
    chunks.add(EOF);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (position == current.length) {
      if (ended) return -1;
      try {
        byte[] next = chunks.take();
        if (next == EOF) {
          ended = true;
          return -1;
        }
        current = next;
        position = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading a stream");
      }
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }
}
