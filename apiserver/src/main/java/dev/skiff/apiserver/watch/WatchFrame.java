package dev.skiff.apiserver.watch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Upstream's watch event encoding: {@code {"type":..,"object":..}} and a newline.
 *
 * <p>Frames are pure ASCII: other characters go as JSON escapes (a backslash, "u" and four hex
 * digits), which every JSON reader decodes to the same string. fabric8's HTTP watch decodes each
 * network read on its own and keeps the decoder's whole buffer, padding included, so a multi-byte
 * character garbles the stream; its informers then stop for good on the unparsable event.
 */
public final class WatchFrame {
  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OBJECT = "\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  // The event types, encoded once rather than for every event.
  private static final Map<String, byte[]> TYPES =
      Stream.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR")
          .collect(Collectors.toUnmodifiableMap(t -> t, t -> t.getBytes(StandardCharsets.UTF_8)));

  private WatchFrame() {}

  /** One event, {@code object} being the object's JSON (UTF-8). */
  public static byte[] encode(String type, byte[] object) {
    byte[] t = TYPES.get(type);
    if (t == null) {
      t = type.getBytes(StandardCharsets.UTF_8);
    }
    byte[] body = ascii(object);
    byte[] frame = new byte[TYPE.length + t.length + OBJECT.length + body.length + END.length];
    int at = 0;
    for (byte[] part : new byte[][] {TYPE, t, OBJECT, body, END}) {
      System.arraycopy(part, 0, frame, at, part.length);
      at += part.length;
    }
    return frame;
  }

  /**
   * {@code json} with every non-ASCII character escaped; the same array when it has none. In valid
   * JSON such characters occur only inside strings, where an escape means the same.
   */
  static byte[] ascii(byte[] json) {
    int first = 0;
    while (first < json.length && json[first] >= 0) {
      first++;
    }
    if (first == json.length) {
      return json;
    }
    String text = new String(json, first, json.length - first, StandardCharsets.UTF_8);
    byte[] out = new byte[first + text.length() * 6];
    System.arraycopy(json, 0, out, 0, first);
    int at = first;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
        continue;
      }
      // Characters beyond the BMP are two UTF-16 units here, escaped one by one as JSON requires.
      out[at++] = '\\';
      out[at++] = 'u';
      out[at++] = HEX[(c >> 12) & 0xf];
      out[at++] = HEX[(c >> 8) & 0xf];
      out[at++] = HEX[(c >> 4) & 0xf];
      out[at++] = HEX[c & 0xf];
    }
    return Arrays.copyOf(out, at);
  }
}
