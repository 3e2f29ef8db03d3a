package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many watches over plain HTTP/1.1 sockets, all read by one thread through one selector: the
 * harness opens a thousand, and a thread (or a virtual thread's poller registration) per watch
 * would spend more of the two shared cores than the server's own fan-out. Each stream's chunked
 * body is de-framed into lines; only the object name the harness looks for is decoded.
 */
final class ApiServerBenchmarkWatch implements AutoCloseable {
  /**
   * Told each event whose object name starts with the prefix, and when it was read; answers whether
   * the event counts towards the stream's quota.
   */
  interface Listener {
    boolean event(String name, long readAtNanos);
  }

  private final Selector selector;
  private final List<Stream> streams = new ArrayList<>();
  private final CountDownLatch started;
  private final CountDownLatch ended;
  private final Thread reader;
  private volatile boolean closing;
  private volatile IOException failure;

  /**
   * Opens {@code count} watches of {@code path}; each is read until {@code eventsEach} of its
   * events counted.
   */
  ApiServerBenchmarkWatch(
      int port, String path, int count, int eventsEach, String prefix, Listener listener)
      throws IOException {
    selector = Selector.open();
    started = new CountDownLatch(count);
    ended = new CountDownLatch(count);
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
            .getBytes(US_ASCII);
    byte[] marker = ("\"name\":\"" + prefix).getBytes(UTF_8);
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.configureBlocking(false);
      Stream s = new Stream(channel, marker, eventsEach, listener);
      channel.register(selector, SelectionKey.OP_READ, s);
      streams.add(s);
    }
    reader = Thread.ofPlatform().name("bench-watch-reader").daemon().start(this::read);
  }

  /** Waits until every watch has answered 200 and sent its headers. */
  void awaitStarted(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    if (!started.await(timeout, unit) || failure != null) {
      throw failure != null ? failure : new IOException("watches did not start in time");
    }
  }

  /** Waits until every stream has counted its events or ended; false on timeout. */
  boolean awaitEnded(long timeout, TimeUnit unit) throws InterruptedException {
    return ended.await(timeout, unit);
  }

  private void read() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    byte[] bytes = new byte[buf.capacity()];
    try {
      while (!closing) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Stream s = (Stream) key.attachment();
          int n;
          do {
            buf.clear();
            n = s.channel.read(buf);
            if (n > 0) {
              buf.flip().get(bytes, 0, n);
              s.take(bytes, n);
            }
          } while (n == buf.capacity() && !s.done);
          if (n < 0) {
            s.finish();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      if (!closing) {
        failure = e;
        streams.forEach(Stream::finish);
        while (started.getCount() > 0) {
          started.countDown();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closing = true;
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Stream s : streams) {
      s.channel.close();
    }
    selector.close();
  }

  private enum State {
    HEAD,
    SIZE,
    DATA,
    DATA_END
  }

  /** One watch's parse state: response head, then chunk sizes and chunk data, split into lines. */
  private final class Stream {
    private final SocketChannel channel;
    private final byte[] marker;
    private final Listener listener;
    private int eventsLeft;
    private State state = State.HEAD;
    private final StringBuilder framing = new StringBuilder();
    private int chunkLeft;
    private byte[] line = new byte[8 * 1024];
    private int lineEnd;
    private boolean done;

    Stream(SocketChannel channel, byte[] marker, int events, Listener listener) {
      this.channel = channel;
      this.marker = marker;
      this.eventsLeft = events;
      this.listener = listener;
    }

    void take(byte[] in, int n) throws IOException {
      for (int i = 0; i < n && !done; ) {
        switch (state) {
          case HEAD, SIZE, DATA_END -> {
            byte b = in[i++];
            if (b == '\n') {
              framingLine(framing.toString());
              framing.setLength(0);
            } else if (b != '\r') {
              framing.append((char) b);
            }
          }
          case DATA -> {
            int take = Math.min(chunkLeft, n - i);
            for (int j = i; j < i + take; j++) {
              if (in[j] == '\n') {
                eventLine();
                lineEnd = 0;
              } else {
                if (lineEnd == line.length) {
                  line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineEnd++] = in[j];
              }
            }
            i += take;
            chunkLeft -= take;
            if (chunkLeft == 0) {
              state = State.DATA_END;
            }
          }
        }
      }
    }

    private void framingLine(String text) throws IOException {
      switch (state) {
        case HEAD -> {
          if (text.isEmpty()) {
            state = State.SIZE;
            started.countDown();
          } else if (text.startsWith("HTTP/1.1 ") && !text.startsWith("HTTP/1.1 200")) {
            throw new IOException("watch failed: " + text);
          }
        }
        case DATA_END -> state = State.SIZE;
        case SIZE -> {
          if (text.isEmpty()) {
            return;
          }
          chunkLeft = Integer.parseInt(text.split(";")[0].trim(), 16);
          if (chunkLeft == 0) {
            finish();
          } else {
            state = State.DATA;
          }
        }
        case DATA -> throw new IllegalStateException("data is not framing");
      }
    }

    private void eventLine() {
      outer:
      for (int i = 0; i + marker.length <= lineEnd; i++) {
        for (int j = 0; j < marker.length; j++) {
          if (line[i + j] != marker[j]) {
            continue outer;
          }
        }
        int start = i + "\"name\":\"".length();
        for (int k = start; k < lineEnd; k++) {
          if (line[k] == '"') {
            String name = new String(line, start, k - start, UTF_8);
            if (listener.event(name, System.nanoTime()) && --eventsLeft == 0) {
              finish();
            }
            return;
          }
        }
        return;
      }
    }

    void finish() {
      if (!done) {
        done = true;
        ended.countDown();
      }
    }
  }
}
