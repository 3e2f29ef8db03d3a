package dev.skiff.kubelet.server.spdy;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Name/value header blocks, zlib-compressed with the SPDY dictionary. Each direction of a session
 * is one continuous zlib stream, so a codec belongs to one session and blocks must be encoded in
 * the order they are written and decoded in the order they arrive.
 */
final class HeaderCodec implements AutoCloseable {
  /** Bounds what one header block may inflate to, against a compression bomb. */
  static final int MAX_HEADER_BYTES = 1024 * 1024;

  private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
  private final Inflater inflater = new Inflater();
  private final byte[] dictionary = HeaderDictionary.bytes();

  HeaderCodec() {
    deflater.setDictionary(dictionary);
  }

  byte[] encode(Map<String, List<String>> headers) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    writeInt(raw, headers.size());
    for (var e : headers.entrySet()) {
      writeString(raw, e.getKey().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      writeString(raw, String.join("\0", e.getValue()).getBytes(StandardCharsets.UTF_8));
    }
    deflater.setInput(raw.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    // A full buffer means the flush may have more to give.
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
      out.write(buffer, 0, n);
    } while (n == buffer.length);
    return out.toByteArray();
  }

  Map<String, List<String>> decode(byte[] block) throws ProtocolException {
    ByteBuffer raw = ByteBuffer.wrap(inflate(block));
    try {
      int count = raw.getInt();
      if (count < 0) {
        throw new ProtocolException("negative header count");
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = readString(raw);
        String value = readString(raw);
        if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
          throw new ProtocolException("header name \"" + name + "\" is empty or not lower-case");
        }
        if (headers.containsKey(name)) {
          throw new ProtocolException("header \"" + name + "\" appears twice");
        }
        headers.put(name, List.of(value.split("\0", -1)));
      }
      return headers;
    } catch (BufferUnderflowException e) {
      throw new ProtocolException("header block ends early");
    }
  }

  private byte[] inflate(byte[] block) throws ProtocolException {
    inflater.setInput(block);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      while (true) {
        int n = inflater.inflate(buffer);
        if (n > 0) {
          out.write(buffer, 0, n);
          if (out.size() > MAX_HEADER_BYTES) {
            throw new ProtocolException("header block larger than " + MAX_HEADER_BYTES + " bytes");
          }
        } else if (inflater.needsDictionary()) {
          inflater.setDictionary(dictionary);
        } else {
          break;
        }
      }
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new ProtocolException("header block is not valid zlib data: " + e.getMessage());
    }
    if (inflater.getRemaining() > 0) {
      throw new ProtocolException("header block has bytes after its end");
    }
    return out.toByteArray();
  }

  private static String readString(ByteBuffer raw) throws ProtocolException {
    int length = raw.getInt();
    if (length < 0 || length > raw.remaining()) {
      throw new ProtocolException("header string length " + length + " out of range");
    }
    byte[] b = new byte[length];
    raw.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeString(ByteArrayOutputStream out, byte[] b) {
    writeInt(out, b.length);
    out.writeBytes(b);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  @Override
  public void close() {
    deflater.end();
    inflater.end();
  }
}
