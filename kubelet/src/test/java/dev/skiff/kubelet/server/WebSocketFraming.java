package dev.skiff.kubelet.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Just enough of RFC 6455 for a test client after its handshake: binary messages out (masked, as a
 * client must) and the payload bytes of the server's data frames in. The JDK's WebSocket client
 * cannot be used, as it refuses the {@code /} in kubectl's subprotocol name.
 */
final class WebSocketFraming {
  private WebSocketFraming() {}

  /** The payloads of the server's binary and continuation frames, ending at its close frame. */
  static InputStream reader(InputStream raw) {
    DataInputStream in = new DataInputStream(raw);
    return new InputStream() {
      private long left;
      private boolean closed;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (left == 0) {
          if (closed || !nextDataFrame()) {
            closed = true;
            return -1;
          }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      private boolean nextDataFrame() throws IOException {
        int first = in.read();
        if (first < 0) {
          return false;
        }
        int opcode = first & 0x0f;
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        if (opcode == 0x8) {
          return false;
        }
        if (opcode == 0x0 || opcode == 0x2) {
          left = length;
        } else {
          in.skipNBytes(length);
        }
        return true;
      }
    };
  }

  /** Every write is one masked binary message. */
  static OutputStream writer(OutputStream raw) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) throws IOException {
        byte[] head;
        if (len < 126) {
          head = new byte[] {(byte) 0x82, (byte) (0x80 | len)};
        } else if (len < 65536) {
          head = new byte[] {(byte) 0x82, (byte) (0x80 | 126), (byte) (len >>> 8), (byte) len};
        } else {
          head = new byte[10];
          head[0] = (byte) 0x82;
          head[1] = (byte) (0x80 | 127);
          for (int i = 0; i < 8; i++) {
            head[9 - i] = (byte) ((long) len >>> (8 * i));
          }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] payload = new byte[len];
        for (int i = 0; i < len; i++) {
          payload[i] = (byte) (b[off + i] ^ mask[i % 4]);
        }
        raw.write(head);
        raw.write(mask);
        raw.write(payload);
        raw.flush();
      }
    };
  }
}
