package dev.skiff.kubelet.server.spdy;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes that arrive in chunks (WebSocket messages, socket reads), read as one stream by the
 * session. The producer blocks while too much is queued, so a fast client waits for a slow reader
 * instead of filling memory.
 */
final class ChunkedInput extends InputStream {
  static final int MAX_QUEUED_BYTES = 1024 * 1024;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int queued;
  private int position;
  private boolean finished;

  /** Queues a chunk, waiting for room; dropped once the input is finished. */
  void put(byte[] chunk) throws InterruptedException {
    if (chunk.length == 0) {
      return;
    }
    lock.lock();
    try {
      while (queued >= MAX_QUEUED_BYTES && !finished) {
        changed.await();
      }
      if (!finished) {
        chunks.add(chunk);
        queued += chunk.length;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** No more chunks: the reader sees the end once it drained what is queued. */
  void finish() {
    lock.lock();
    try {
      finished = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws InterruptedIOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws InterruptedIOException {
    if (len == 0) {
      return 0;
    }
    lock.lock();
    try {
      while (chunks.isEmpty()) {
        if (finished) {
          return -1;
        }
        changed.await();
      }
      byte[] head = chunks.peek();
      int n = Math.min(len, head.length - position);
      System.arraycopy(head, position, b, off, n);
      position += n;
      if (position == head.length) {
        chunks.poll();
        queued -= head.length;
        position = 0;
        changed.signalAll();
      }
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for input");
    } finally {
      lock.unlock();
    }
  }

  /** The reader gives up: queued and future chunks are dropped and producers released. */
  @Override
  public void close() {
    lock.lock();
    try {
      finished = true;
      chunks.clear();
      queued = 0;
      position = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
