package dev.skiff.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes watch events as upstream's chunked JSON stream: one {@code {"type":..,"object":..}} per
 * line, flushed as it is written.
 */
public final class WatchStream {
  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OBJECT = "\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "}\n".getBytes(StandardCharsets.UTF_8);

  // The event types, encoded once rather than for every event to every watcher.
  private static final Map<String, byte[]> TYPES =
      Stream.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR")
          .collect(Collectors.toUnmodifiableMap(t -> t, t -> t.getBytes(StandardCharsets.UTF_8)));

  /** Sends one whole event as a message (a WebSocket text frame), blocking until sent. */
  @FunctionalInterface
  public interface MessageSender {
    void send(byte[] message) throws IOException;
  }

  private final OutputStream out;
  private final MessageSender messages;
  private final Function<CachedObject, byte[]> render;

  /** {@code render} turns a cached object into the bytes the client asked for. */
  public WatchStream(OutputStream out, Function<CachedObject, byte[]> render) {
    this.out = out;
    this.messages = null;
    this.render = render;
  }

  private WatchStream(MessageSender messages, Function<CachedObject, byte[]> render) {
    this.out = null;
    this.messages = messages;
    this.render = render;
  }

  /** Events as WebSocket messages, one event each, as upstream's WebSocket watches. */
  public static WatchStream ofMessages(
      MessageSender sender, Function<CachedObject, byte[]> render) {
    return new WatchStream(sender, render);
  }

  public void event(String type, CachedObject object) throws IOException {
    write(type, render.apply(object));
  }

  public void event(String type, ObjectNode object) throws IOException {
    write(type, Json.bytes(object));
  }

  private void write(String type, byte[] object) throws IOException {
    if (messages != null) {
      java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(object.length + 32);
      writeFrame(frame, type, object);
      messages.send(frame.toByteArray());
      return;
    }
    writeFrame(out, type, object);
  }

  private static void writeFrame(OutputStream out, String type, byte[] object) throws IOException {
    out.write(TYPE);
    byte[] encoded = TYPES.get(type);
    out.write(encoded != null ? encoded : type.getBytes(StandardCharsets.UTF_8));
    out.write(OBJECT);
    out.write(object);
    out.write(END);
  }

  public void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
