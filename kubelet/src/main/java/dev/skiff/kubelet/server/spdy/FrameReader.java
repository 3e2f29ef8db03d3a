package dev.skiff.kubelet.server.spdy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads frames off a byte stream, inflating header blocks with the session's codec. */
final class FrameReader {
  /** Larger frames are refused: nothing Skiff serves needs them, and they would cost memory. */
  static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024 - 1;

  private final DataInputStream in;
  private final HeaderCodec headers;

  FrameReader(InputStream in, HeaderCodec headers) {
    this.in = new DataInputStream(in);
    this.headers = headers;
  }

  /** The next frame, or empty when the stream ended cleanly between frames. */
  Optional<Frame> read() throws IOException {
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(readAfter(first));
    } catch (EOFException e) {
      throw new ProtocolException("connection closed in the middle of a frame");
    }
  }

  private Frame readAfter(int first) throws IOException {
    int second = in.readUnsignedByte();
    int word = (first << 24) | (second << 16) | in.readUnsignedShort();
    int flags = in.readUnsignedByte();
    int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
    if ((first & 0x80) == 0) {
      byte[] data = new byte[length];
      in.readFully(data);
      return new Frame.Data(word & 0x7fffffff, (flags & Frame.FLAG_FIN) != 0, data);
    }
    int version = (word >>> 16) & 0x7fff;
    int type = word & 0xffff;
    if (version != Frame.VERSION) {
      throw new ProtocolException("unsupported SPDY version " + version);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return control(type, flags, payload);
  }

  private Frame control(int type, int flags, byte[] p) throws ProtocolException {
    boolean fin = (flags & Frame.FLAG_FIN) != 0;
    return switch (type) {
      case Frame.TYPE_SYN_STREAM -> {
        atLeast(p, 10, "SYN_STREAM");
        yield new Frame.SynStream(
            streamId(p, 0),
            streamId(p, 4),
            (p[8] & 0xff) >>> 5,
            fin,
            (flags & Frame.FLAG_UNIDIRECTIONAL) != 0,
            headers.decode(tail(p, 10)));
      }
      case Frame.TYPE_SYN_REPLY -> {
        atLeast(p, 4, "SYN_REPLY");
        yield new Frame.SynReply(streamId(p, 0), fin, headers.decode(tail(p, 4)));
      }
      case Frame.TYPE_HEADERS -> {
        atLeast(p, 4, "HEADERS");
        yield new Frame.Headers(streamId(p, 0), fin, headers.decode(tail(p, 4)));
      }
      case Frame.TYPE_RST_STREAM -> {
        exactly(p, 8, "RST_STREAM");
        yield new Frame.RstStream(streamId(p, 0), integer(p, 4));
      }
      case Frame.TYPE_SETTINGS -> settings(flags, p);
      case Frame.TYPE_PING -> {
        exactly(p, 4, "PING");
        yield new Frame.Ping(integer(p, 0));
      }
      case Frame.TYPE_GOAWAY -> {
        exactly(p, 8, "GOAWAY");
        yield new Frame.GoAway(streamId(p, 0), integer(p, 4));
      }
      case Frame.TYPE_WINDOW_UPDATE -> {
        exactly(p, 8, "WINDOW_UPDATE");
        yield new Frame.WindowUpdate(streamId(p, 0), integer(p, 4) & 0x7fffffff);
      }
      default -> new Frame.Unknown(type);
    };
  }

  private static Frame settings(int flags, byte[] p) throws ProtocolException {
    atLeast(p, 4, "SETTINGS");
    int count = integer(p, 0);
    if (count < 0 || p.length != 4 + 8L * count) {
      throw new ProtocolException("SETTINGS length does not match its " + count + " entries");
    }
    Map<Integer, Integer> values = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      values.put(integer(p, 4 + 8 * i) & 0xffffff, integer(p, 8 + 8 * i));
    }
    return new Frame.Settings((flags & 0x01) != 0, values);
  }

  private static void atLeast(byte[] p, int n, String frame) throws ProtocolException {
    if (p.length < n) {
      throw new ProtocolException(frame + " frame shorter than " + n + " bytes");
    }
  }

  private static void exactly(byte[] p, int n, String frame) throws ProtocolException {
    if (p.length != n) {
      throw new ProtocolException(frame + " frame must be " + n + " bytes, not " + p.length);
    }
  }

  private static byte[] tail(byte[] p, int from) {
    byte[] t = new byte[p.length - from];
    System.arraycopy(p, from, t, 0, t.length);
    return t;
  }

  private static int streamId(byte[] p, int at) {
    return integer(p, at) & 0x7fffffff;
  }

  private static int integer(byte[] p, int at) {
    return ((p[at] & 0xff) << 24)
        | ((p[at + 1] & 0xff) << 16)
        | ((p[at + 2] & 0xff) << 8)
        | (p[at + 3] & 0xff);
  }
}
