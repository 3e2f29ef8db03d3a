package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One stream the peer opened on a {@link SpdySession}: its headers, the bytes the peer sends
 * (delivered to a {@link Receiver}), and our half of it. The reply the peer waits for goes out
 * before anything else we send on the stream.
 */
public final class SpdyStream {
  /** Told, on the session's reader thread, what the peer does with the stream. */
  public interface Receiver {
    void onData(byte[] data);

    /** The peer sent its last byte (FIN). */
    void onFinished();

    /** The peer reset the stream, or the session ended: nothing more will arrive or leave. */
    void onReset();
  }

  private static final Receiver DISCARD =
      new Receiver() {
        @Override
        public void onData(byte[] data) {}

        @Override
        public void onFinished() {}

        @Override
        public void onReset() {}
      };

  private final SpdySession session;
  private final int id;
  private final Map<String, List<String>> headers;
  private volatile Receiver receiver = DISCARD;
  private volatile boolean reset;
  private boolean replied;
  private boolean localClosed;
  private boolean remoteClosed;

  SpdyStream(SpdySession session, int id, Map<String, List<String>> headers, boolean localClosed) {
    this.session = session;
    this.id = id;
    this.headers = headers;
    this.localClosed = localClosed;
  }

  public int id() {
    return id;
  }

  /** The first value of a header, by its lower-case name; null when absent. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public void receiver(Receiver r) {
    receiver = r;
  }

  /** Sends bytes on the stream, in frames of at most {@link FrameWriter#MAX_DATA_LENGTH}. */
  public void write(byte[] data, int offset, int length) throws IOException {
    synchronized (this) {
      if (reset || localClosed) {
        throw new IOException("stream " + id + " is closed");
      }
      replyIfNeeded();
      for (int at = offset; at < offset + length; at += FrameWriter.MAX_DATA_LENGTH) {
        int n = Math.min(FrameWriter.MAX_DATA_LENGTH, offset + length - at);
        byte[] chunk = new byte[n];
        System.arraycopy(data, at, chunk, 0, n);
        session.send(new Frame.Data(id, false, chunk));
      }
    }
  }

  /** Half-closes our side (FIN); the peer may go on sending. */
  public void close() throws IOException {
    boolean done;
    synchronized (this) {
      if (reset || localClosed) {
        return;
      }
      replyIfNeeded();
      localClosed = true;
      session.send(new Frame.Data(id, true, new byte[0]));
      done = remoteClosed;
    }
    if (done) {
      session.forget(id);
    }
  }

  /** Abandons the stream both ways (RST_STREAM with {@code status}). */
  public void reset(int status) {
    if (reset) {
      return;
    }
    reset = true;
    session.forget(id);
    try {
      session.send(new Frame.RstStream(id, status));
    } catch (IOException e) {
      // The session is gone, and the stream with it.
    }
  }

  boolean isReset() {
    return reset;
  }

  /** Sends the SYN_REPLY once the handler accepted the stream, unless data already did. */
  void accept() throws IOException {
    synchronized (this) {
      if (!reset) {
        replyIfNeeded();
      }
    }
  }

  private void replyIfNeeded() throws IOException {
    if (!replied) {
      replied = true;
      session.send(new Frame.SynReply(id, false, Map.of()));
    }
  }

  /** Data or FIN from the peer; runs on the reader thread. */
  void received(byte[] data, boolean fin) {
    if (reset) {
      return;
    }
    boolean afterFin;
    boolean done;
    synchronized (this) {
      afterFin = remoteClosed;
      remoteClosed |= fin;
      done = fin && localClosed;
    }
    if (afterFin) {
      reset(Frame.STATUS_STREAM_ALREADY_CLOSED);
      receiver.onReset();
      return;
    }
    if (data.length > 0) {
      receiver.onData(data);
    }
    if (fin) {
      receiver.onFinished();
      if (done) {
        session.forget(id);
      }
    }
  }

  /** The peer reset the stream or the session ended. */
  void abandoned() {
    if (!reset) {
      reset = true;
      receiver.onReset();
    }
  }
}
