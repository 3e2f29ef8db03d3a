package dev.skiff.apiserver.watch;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Upstream's watch event encoding: {@code {"type":..,"object":..}} and a newline. */
public final class WatchFrame {
  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OBJECT = "\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "}\n".getBytes(StandardCharsets.UTF_8);

  // The event types, encoded once rather than for every event.
  private static final Map<String, byte[]> TYPES =
      Stream.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR")
          .collect(Collectors.toUnmodifiableMap(t -> t, t -> t.getBytes(StandardCharsets.UTF_8)));

  private WatchFrame() {}

  /** One event, {@code object} being the object's JSON. */
  public static byte[] encode(String type, byte[] object) {
    byte[] t = TYPES.get(type);
    if (t == null) {
      t = type.getBytes(StandardCharsets.UTF_8);
    }
    byte[] frame = new byte[TYPE.length + t.length + OBJECT.length + object.length + END.length];
    int at = 0;
    for (byte[] part : new byte[][] {TYPE, t, OBJECT, object, END}) {
      System.arraycopy(part, 0, frame, at, part.length);
      at += part.length;
    }
    return frame;
  }
}
