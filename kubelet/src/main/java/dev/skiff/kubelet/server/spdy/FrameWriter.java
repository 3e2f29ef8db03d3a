package dev.skiff.kubelet.server.spdy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Encodes frames as wire bytes, one frame per array so a transport can send each whole (a WebSocket
 * tunnel sends it as one message). Header blocks go through the session's codec, so frames must be
 * written in the order they are encoded.
 */
final class FrameWriter {
  /** The largest data payload one frame carries. */
  static final int MAX_DATA_LENGTH = 32 * 1024;

  private final HeaderCodec headers;

  FrameWriter(HeaderCodec headers) {
    this.headers = headers;
  }

  byte[] encode(Frame frame) {
    return switch (frame) {
      case Frame.Data d -> {
        ByteBuffer b = ByteBuffer.allocate(8 + d.data().length);
        b.putInt(d.streamId() & 0x7fffffff);
        b.putInt(((d.fin() ? Frame.FLAG_FIN : 0) << 24) | d.data().length);
        b.put(d.data());
        yield b.array();
      }
      case Frame.SynStream s -> {
        byte[] block = headers.encode(s.headers());
        int flags =
            (s.fin() ? Frame.FLAG_FIN : 0) | (s.unidirectional() ? Frame.FLAG_UNIDIRECTIONAL : 0);
        yield control(Frame.TYPE_SYN_STREAM, flags, 10 + block.length)
            .putInt(s.streamId())
            .putInt(s.associatedStreamId())
            .put((byte) (s.priority() << 5))
            .put((byte) 0)
            .put(block)
            .array();
      }
      case Frame.SynReply r ->
          withHeaders(Frame.TYPE_SYN_REPLY, r.streamId(), r.fin(), r.headers());
      case Frame.Headers h -> withHeaders(Frame.TYPE_HEADERS, h.streamId(), h.fin(), h.headers());
      case Frame.RstStream r ->
          control(Frame.TYPE_RST_STREAM, 0, 8).putInt(r.streamId()).putInt(r.status()).array();
      case Frame.Settings s -> {
        ByteBuffer b = control(Frame.TYPE_SETTINGS, s.clear() ? 1 : 0, 4 + 8 * s.values().size());
        b.putInt(s.values().size());
        s.values().forEach((id, value) -> b.putInt(id & 0xffffff).putInt(value));
        yield b.array();
      }
      case Frame.Ping p -> control(Frame.TYPE_PING, 0, 4).putInt(p.id()).array();
      case Frame.GoAway g ->
          control(Frame.TYPE_GOAWAY, 0, 8).putInt(g.lastGoodStreamId()).putInt(g.status()).array();
      case Frame.WindowUpdate w ->
          control(Frame.TYPE_WINDOW_UPDATE, 0, 8).putInt(w.streamId()).putInt(w.delta()).array();
      case Frame.Unknown u ->
          throw new IllegalArgumentException("cannot write a frame of unknown type " + u.type());
    };
  }

  private byte[] withHeaders(int type, int streamId, boolean fin, Map<String, List<String>> h) {
    byte[] block = headers.encode(h);
    return control(type, fin ? Frame.FLAG_FIN : 0, 4 + block.length)
        .putInt(streamId)
        .put(block)
        .array();
  }

  private static ByteBuffer control(int type, int flags, int length) {
    ByteBuffer b = ByteBuffer.allocate(8 + length);
    b.putShort((short) (0x8000 | Frame.VERSION));
    b.putShort((short) type);
    b.putInt((flags << 24) | length);
    return b;
  }
}
