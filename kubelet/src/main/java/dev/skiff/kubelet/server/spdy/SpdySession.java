package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server side of a SPDY/3.1 session over any byte transport: reads frames, hands each stream
 * the client opens to a {@link StreamHandler}, answers pings, and ends every stream when the
 * transport ends. Flow control is not enforced either way, as the Kubernetes clients
 * (moby/spdystream) neither send nor honour window updates.
 */
public final class SpdySession {
  /** Decides, on the reader thread, what to do with each stream the client opens. */
  public interface StreamHandler {
    /**
     * Accepts the stream (setting its receiver) or refuses it by throwing; its reply goes out when
     * this returns, so a handler may start writing to it from another thread right away.
     */
    void onStream(SpdyStream stream) throws Refused;
  }

  /** A stream the handler will not serve; it is reset with REFUSED_STREAM. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final OutputStream out;
  private final Runnable closeTransport;
  private final StreamHandler handler;
  private final HeaderCodec codec = new HeaderCodec();
  private final FrameWriter writer = new FrameWriter(codec);
  private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private int lastClientStreamId;
  private boolean goneAway;

  /**
   * @param out receives each frame as one {@code write} call
   * @param closeTransport ends the transport, which must make {@code in} reach its end
   */
  public SpdySession(
      InputStream in, OutputStream out, Runnable closeTransport, StreamHandler handler) {
    this.in = in;
    this.out = out;
    this.closeTransport = closeTransport;
    this.handler = handler;
  }

  /** Reads and handles frames until the transport ends; then every open stream is abandoned. */
  public void serve() {
    FrameReader reader = new FrameReader(in, codec);
    try {
      Optional<Frame> frame;
      while (!closed.get() && (frame = reader.read()).isPresent()) {
        handle(frame.get());
      }
    } catch (ProtocolException e) {
      try {
        send(new Frame.GoAway(lastClientStreamId, Frame.GOAWAY_PROTOCOL_ERROR));
      } catch (IOException ignored) {
        // Closing below tells the client as much.
      }
    } catch (IOException e) {
      // The transport broke: the same end as a close.
    } finally {
      close();
      for (SpdyStream s : List.copyOf(streams.values())) {
        s.abandoned();
      }
      streams.clear();
      synchronized (writeLock) {
        codec.close();
      }
    }
  }

  private void handle(Frame frame) throws IOException {
    switch (frame) {
      case Frame.SynStream s -> open(s);
      case Frame.Data d -> {
        SpdyStream s = streams.get(d.streamId());
        if (s != null) {
          s.received(d.data(), d.fin());
        }
      }
      case Frame.Headers h -> {
        SpdyStream s = streams.get(h.streamId());
        if (s != null && h.fin()) {
          s.received(new byte[0], true);
        }
      }
      case Frame.RstStream r -> {
        SpdyStream s = streams.remove(r.streamId());
        if (s != null) {
          s.abandoned();
        }
      }
      case Frame.Ping p -> {
        // Odd ids are the client's own pings, to be echoed; even ones would answer ours.
        if ((p.id() & 1) == 1) {
          send(p);
        }
      }
      case Frame.GoAway g -> goneAway = true;
      case Frame.SynReply r -> {
        // We open no streams, so there is nothing to reply to.
      }
      case Frame.Settings s -> {
        // Advisory only (see the class comment).
      }
      case Frame.WindowUpdate w -> {
        // Flow control is not enforced (see the class comment).
      }
      case Frame.Unknown u -> {
        // SPDY/3.1 says to ignore control frames of unknown types.
      }
    }
  }

  private void open(Frame.SynStream syn) throws IOException {
    int id = syn.streamId();
    if (goneAway) {
      return;
    }
    if (id == 0 || (id & 1) == 0 || id <= lastClientStreamId) {
      send(new Frame.RstStream(id, Frame.STATUS_PROTOCOL_ERROR));
      return;
    }
    lastClientStreamId = id;
    SpdyStream stream = new SpdyStream(this, id, syn.headers(), syn.unidirectional());
    streams.put(id, stream);
    try {
      handler.onStream(stream);
    } catch (Refused e) {
      stream.reset(Frame.STATUS_REFUSED_STREAM);
      return;
    }
    stream.accept();
    if (syn.fin()) {
      stream.received(new byte[0], true);
    }
  }

  void send(Frame frame) throws IOException {
    synchronized (writeLock) {
      if (closed.get()) {
        throw new IOException("SPDY session closed");
      }
      out.write(writer.encode(frame));
      out.flush();
    }
  }

  void forget(int streamId) {
    streams.remove(streamId);
  }

  /** The streams still open, by id; for tests and diagnostics. */
  int openStreams() {
    return streams.size();
  }

  /** Ends the session: the transport closes and the reader abandons every stream. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeTransport.run();
    }
  }
}
