package dev.skiff.apiserver.protobuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads protobuf wire format from a byte range, refusing truncated or malformed input. */
final class ProtoReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  ProtoReader(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  boolean hasMore() {
    return pos < end;
  }

  int key() throws IOException {
    long k = varint();
    if (k <= 0 || k > Integer.MAX_VALUE) {
      throw new IOException("invalid protobuf field key");
    }
    return (int) k;
  }

  long varint() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IOException("truncated protobuf varint");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IOException("protobuf varint too long");
  }

  private int length() throws IOException {
    long n = varint();
    if (n < 0 || n > end - pos) {
      throw new IOException("protobuf length exceeds the message");
    }
    return (int) n;
  }

  byte[] bytes() throws IOException {
    int n = length();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  String string() throws IOException {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  ProtoReader message() throws IOException {
    int n = length();
    ProtoReader sub = new ProtoReader(buf, pos, pos + n);
    pos += n;
    return sub;
  }

  byte[] fixed(int n) throws IOException {
    if (end - pos < n) {
      throw new IOException("truncated protobuf fixed-width value");
    }
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  void skip(int wireType) throws IOException {
    switch (wireType) {
      case 0 -> varint();
      case 1 -> fixed(8);
      case 2 -> {
        // length() advances pos past the prefix, so it must run before pos is read.
        int n = length();
        pos += n;
      }
      case 5 -> fixed(4);
      default -> throw new IOException("unsupported protobuf wire type " + wireType);
    }
  }
}
