package dev.skiff.kubelet.server.spdy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The client side of a SPDY session for tests, built from the same frame codec with its own
 * compression context, as kubectl's would be: sends frames, and collects what the server sends.
 */
public final class SpdyTestClient implements AutoCloseable {
  /** Bounds every wait, so a broken server fails the test instead of hanging it. */
  private static final long WAIT_SECONDS = 60;

  private static final Frame END = new Frame.Unknown(-1);

  private final HeaderCodec codec = new HeaderCodec();
  private final FrameWriter writer = new FrameWriter(codec);
  private final OutputStream out;
  private final Runnable close;
  private final LinkedBlockingQueue<Frame> arrived = new LinkedBlockingQueue<>();
  private final List<Frame> backlog = new ArrayList<>();

  public SpdyTestClient(InputStream in, OutputStream out, Runnable close) {
    this.out = out;
    this.close = close;
    FrameReader reader = new FrameReader(in, new HeaderCodec());
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                var f = reader.read();
                while (f.isPresent()) {
                  arrived.add(f.get());
                  f = reader.read();
                }
              } catch (IOException e) {
                // Ends like a close.
              }
              arrived.add(END);
            });
  }

  /** A client talking to a server session over in-memory pipes. */
  public static SpdyTestClient connect(SpdySession.StreamHandler handler) {
    ChunkedInput toServer = new ChunkedInput();
    ChunkedInput toClient = new ChunkedInput();
    SpdySession session = new SpdySession(toServer, into(toClient), toClient::finish, handler);
    Thread.ofVirtual().start(session::serve);
    return new SpdyTestClient(toClient, into(toServer), toServer::finish);
  }

  private static OutputStream into(ChunkedInput input) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        try {
          input.put(copy);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
  }

  public void send(Frame frame) {
    try {
      out.write(writer.encode(frame));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Opens a stream as kubectl does: headers given as single values. */
  public void open(int streamId, Map<String, String> headers) {
    Map<String, List<String>> h = new java.util.LinkedHashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    send(new Frame.SynStream(streamId, 0, 0, false, false, h));
  }

  public void data(int streamId, String text, boolean fin) {
    send(new Frame.Data(streamId, fin, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The next frame the server sent that matches, keeping others for later calls. */
  @SuppressWarnings("unchecked")
  public <T extends Frame> T next(Class<T> type, Predicate<T> matching) {
    for (Iterator<Frame> it = backlog.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (type.isInstance(f) && matching.test((T) f)) {
        it.remove();
        return (T) f;
      }
    }
    while (true) {
      Frame f;
      try {
        f = arrived.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (f == null || f == END) {
        if (f == END) {
          arrived.add(END);
        }
        throw new AssertionError("no " + type.getSimpleName() + " arrived; got " + backlog);
      }
      if (type.isInstance(f) && matching.test((T) f)) {
        return (T) f;
      }
      backlog.add(f);
    }
  }

  public <T extends Frame> T next(Class<T> type) {
    return next(type, f -> true);
  }

  /** Everything the server sends on a stream until its FIN, as text. */
  public String readUntilFin(int streamId) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    while (true) {
      Frame.Data d = next(Frame.Data.class, f -> f.streamId() == streamId);
      text.writeBytes(d.data());
      if (d.fin()) {
        return text.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /** Whether the server ended the transport, waiting for it. */
  public boolean awaitEnd() {
    try {
      while (true) {
        Frame f = arrived.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
          return false;
        }
        if (f == END) {
          arrived.add(END);
          return true;
        }
        backlog.add(f);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Frames the server sent that no {@code next} call took yet. */
  public List<Frame> backlog() {
    return backlog;
  }

  @Override
  public void close() {
    close.run();
  }
}
