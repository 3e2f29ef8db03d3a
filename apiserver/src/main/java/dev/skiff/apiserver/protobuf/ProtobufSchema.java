package dev.skiff.apiserver.protobuf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Field numbers, names and types of the Kubernetes protobuf messages, read from the {@code
 * schema.txt} table that {@code apiserver/tools/extract-proto-schema.py} writes.
 */
public final class ProtobufSchema {
  /** One field of a message; {@code typeName} names the message type of message fields. */
  public record Field(int number, String name, boolean repeated, String type, String typeName) {}

  /** One message: its fields by number, and whether it is a map entry (key = 1, value = 2). */
  public record Message(String name, Map<Integer, Field> fields, boolean mapEntry) {}

  private static volatile ProtobufSchema instance;

  private final Map<String, Message> messages;

  private ProtobufSchema(Map<String, Message> messages) {
    this.messages = messages;
  }

  public static ProtobufSchema get() {
    ProtobufSchema s = instance;
    if (s == null) {
      synchronized (ProtobufSchema.class) {
        s = instance;
        if (s == null) {
          s = load();
          instance = s;
        }
      }
    }
    return s;
  }

  public Message message(String fullName) {
    return messages.get(fullName);
  }

  private static ProtobufSchema load() {
    Map<String, Message> out = new HashMap<>();
    try (InputStream in = ProtobufSchema.class.getResourceAsStream("schema.txt")) {
      if (in == null) {
        throw new IllegalStateException("protobuf schema.txt is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<Integer, Field> fields = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] p = line.split(" ");
        if (p[0].equals("message")) {
          fields = new HashMap<>();
          out.put(p[1], new Message(p[1], fields, p.length > 2 && p[2].equals("map")));
        } else if (fields != null) {
          fields.put(
              Integer.parseInt(p[0]),
              new Field(
                  Integer.parseInt(p[0]), p[1], p[2].equals("r"), p[3], p.length > 4 ? p[4] : ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ProtobufSchema(out);
  }
}
