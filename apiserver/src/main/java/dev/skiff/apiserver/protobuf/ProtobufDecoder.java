package dev.skiff.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Set;

/**
 * Decodes a Kubernetes protobuf body ({@code application/vnd.kubernetes.protobuf}: the {@code
 * k8s\0} magic, then a runtime.Unknown carrying apiVersion, kind and the object's message) into the
 * object's JSON form, which the rest of the server handles. kubectl sends built-in objects this
 * way.
 */
public final class ProtobufDecoder {
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  /** Meta kinds every group version registers: clients send them under their own apiVersion. */
  private static final java.util.Set<String> SHARED_META_KINDS =
      java.util.Set.of(
          "DeleteOptions",
          "CreateOptions",
          "UpdateOptions",
          "PatchOptions",
          "GetOptions",
          "ListOptions",
          "Status",
          "WatchEvent");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  // Pointer fields where an explicit zero differs from unset; other zero scalars are what Go's
  // encoder writes for unset non-pointer fields, which JSON omits.
  private static final Set<String> KEEP_ZERO =
      Set.of("replicas", "parallelism", "completions", "backoffLimit", "minReadySeconds");

  private final ProtobufSchema schema;

  public ProtobufDecoder(ProtobufSchema schema) {
    this.schema = schema;
  }

  /** The object as JSON. */
  public ObjectNode decode(byte[] body) throws IOException {
    if (body.length < MAGIC.length
        || !java.util.Arrays.equals(java.util.Arrays.copyOf(body, 4), MAGIC)) {
      throw new IOException("the body does not start with the Kubernetes protobuf prefix");
    }
    ProtoReader unknown = new ProtoReader(body, 4, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.hasMore()) {
      int key = unknown.key();
      switch (key >>> 3) {
        case 1 -> {
          ProtoReader tm = unknown.message();
          while (tm.hasMore()) {
            int k = tm.key();
            if (k >>> 3 == 1) {
              apiVersion = tm.string();
            } else if (k >>> 3 == 2) {
              kind = tm.string();
            } else {
              tm.skip(k & 7);
            }
          }
        }
        case 2 -> raw = unknown.bytes();
        default -> unknown.skip(key & 7);
      }
    }
    ProtobufSchema.Message message = schema.message(messageName(apiVersion, kind));
    if (message == null) {
      throw new IOException("no protobuf message is known for " + apiVersion + ", Kind=" + kind);
    }
    ObjectNode obj = Json.object();
    obj.put("apiVersion", apiVersion);
    obj.put("kind", kind);
    obj.setAll(decodeMessage(new ProtoReader(raw, 0, raw.length), message));
    return obj;
  }

  static String messageName(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    if (group.equals("meta.k8s.io") || SHARED_META_KINDS.contains(kind)) {
      return META + kind;
    }
    String pkg = group.isEmpty() ? "core" : group.split("\\.")[0];
    return "k8s.io.api." + pkg + "." + version + "." + kind;
  }

  private ObjectNode decodeMessage(ProtoReader r, ProtobufSchema.Message m) throws IOException {
    ObjectNode out = Json.object();
    while (r.hasMore()) {
      int key = r.key();
      ProtobufSchema.Field f = m.fields().get(key >>> 3);
      if (f == null) {
        r.skip(key & 7);
        continue;
      }
      if (f.repeated() && (key & 7) == 2 && isPackable(f.type())) {
        ProtoReader packed = r.message();
        ArrayNode arr = arrayOf(out, f.name());
        while (packed.hasMore()) {
          arr.add(scalar(packed, f.type(), 0));
        }
        continue;
      }
      JsonNode value = value(r, f, key & 7);
      if (f.repeated()) {
        ProtobufSchema.Message entry = schema.message(f.typeName());
        if (entry != null && entry.mapEntry()) {
          ObjectNode map = out.get(f.name()) instanceof ObjectNode o ? o : out.putObject(f.name());
          map.set(
              value.path("key").asText(), value.has("value") ? value.get("value") : F.textNode(""));
        } else {
          arrayOf(out, f.name()).add(value);
        }
      } else if (value != null) {
        out.set(f.name(), value);
      }
    }
    prune(out);
    return out;
  }

  private static ArrayNode arrayOf(ObjectNode out, String name) {
    return out.get(name) instanceof ArrayNode a ? a : out.putArray(name);
  }

  private JsonNode value(ProtoReader r, ProtobufSchema.Field f, int wireType) throws IOException {
    if (!f.type().equals("message")) {
      return scalar(r, f.type(), wireType);
    }
    ProtoReader sub = r.message();
    return switch (f.typeName()) {
      case META + "Time" -> time(sub, false);
      case META + "MicroTime" -> time(sub, true);
      case META + "Duration" -> F.textNode(GoDuration.format(firstVarint(sub)));
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> F.textNode(firstString(sub));
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> intOrString(sub);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension", META + "FieldsV1" -> rawJson(sub);
      default -> {
        ProtobufSchema.Message m = schema.message(f.typeName());
        if (m == null) {
          throw new IOException("unknown protobuf message " + f.typeName());
        }
        yield decodeMessage(sub, m);
      }
    };
  }

  private static JsonNode scalar(ProtoReader r, String type, int wireType) throws IOException {
    return switch (type) {
      case "string" -> F.textNode(r.string());
      case "bytes" -> F.textNode(Base64.getEncoder().encodeToString(r.bytes()));
      case "bool" -> F.booleanNode(r.varint() != 0);
      case "int32", "enum" -> F.numberNode((int) r.varint());
      case "int64", "uint64", "uint32" -> F.numberNode(r.varint());
      case "sint32", "sint64" -> {
        long v = r.varint();
        yield F.numberNode((v >>> 1) ^ -(v & 1));
      }
      case "double" ->
          F.numberNode(ByteBuffer.wrap(r.fixed(8)).order(ByteOrder.LITTLE_ENDIAN).getDouble());
      case "float" ->
          F.numberNode(ByteBuffer.wrap(r.fixed(4)).order(ByteOrder.LITTLE_ENDIAN).getFloat());
      case "fixed64", "sfixed64" ->
          F.numberNode(ByteBuffer.wrap(r.fixed(8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
      case "fixed32", "sfixed32" ->
          F.numberNode(ByteBuffer.wrap(r.fixed(4)).order(ByteOrder.LITTLE_ENDIAN).getInt());
      default -> {
        r.skip(wireType);
        yield null;
      }
    };
  }

  private static boolean isPackable(String type) {
    return !type.equals("string") && !type.equals("bytes") && !type.equals("message");
  }

  private static JsonNode time(ProtoReader r, boolean micro) throws IOException {
    long seconds = 0;
    long nanos = 0;
    while (r.hasMore()) {
      int k = r.key();
      if (k >>> 3 == 1) {
        seconds = r.varint();
      } else if (k >>> 3 == 2) {
        nanos = r.varint();
      } else {
        r.skip(k & 7);
      }
    }
    if (seconds == 0 && nanos == 0) {
      return null;
    }
    Instant t = Instant.ofEpochSecond(seconds, micro ? nanos / 1000 * 1000 : 0);
    return F.textNode(
        micro
            ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
                .withZone(java.time.ZoneOffset.UTC)
                .format(t)
            : DateTimeFormatter.ISO_INSTANT.format(t));
  }

  private static JsonNode intOrString(ProtoReader r) throws IOException {
    long type = 0;
    long intVal = 0;
    String strVal = "";
    while (r.hasMore()) {
      int k = r.key();
      switch (k >>> 3) {
        case 1 -> type = r.varint();
        case 2 -> intVal = r.varint();
        case 3 -> strVal = r.string();
        default -> r.skip(k & 7);
      }
    }
    return type == 1 ? F.textNode(strVal) : F.numberNode((int) intVal);
  }

  private static JsonNode rawJson(ProtoReader r) throws IOException {
    byte[] raw = new byte[0];
    while (r.hasMore()) {
      int k = r.key();
      if (k >>> 3 == 1) {
        raw = r.bytes();
      } else {
        r.skip(k & 7);
      }
    }
    return raw.length == 0 ? null : Json.MAPPER.readTree(raw);
  }

  private static long firstVarint(ProtoReader r) throws IOException {
    long v = 0;
    while (r.hasMore()) {
      int k = r.key();
      if (k >>> 3 == 1 && (k & 7) == 0) {
        v = r.varint();
      } else {
        r.skip(k & 7);
      }
    }
    return v;
  }

  private static String firstString(ProtoReader r) throws IOException {
    String v = "";
    while (r.hasMore()) {
      int k = r.key();
      if (k >>> 3 == 1 && (k & 7) == 2) {
        v = new String(r.bytes(), StandardCharsets.UTF_8);
      } else {
        r.skip(k & 7);
      }
    }
    return v;
  }

  // Drops what Go writes for unset non-pointer fields (zero scalars, empty structs), so the object
  // reads as its JSON form; maps and lists are never empty on the wire.
  private static void prune(ObjectNode obj) {
    var it = obj.properties().iterator();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode v = e.getValue();
      boolean zero =
          v == null
              || v.isNull()
              || (v.isTextual() && v.asText().isEmpty())
              || (v.isBoolean() && !v.asBoolean())
              || (v.isNumber() && v.asDouble() == 0 && !KEEP_ZERO.contains(e.getKey()))
              || (v.isObject() && v.isEmpty());
      if (zero) {
        it.remove();
      }
    }
  }
}
