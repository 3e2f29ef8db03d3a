package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path, as upstream's structured-merge-diff names it: a field of an object
 * ({@code f:name}), an element of an associative list by its keys ({@code k:{"name":"app"}}), an
 * element of a set by its value ({@code v:"x"}) or an element by position ({@code i:0}).
 *
 * @param value the field name, the key object, the set value or the index (as JSON)
 */
public record PathElement(Kind kind, JsonNode value) implements Comparable<PathElement> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Declared in upstream's sort order: fields, then keys, then values, then indexes. */
  public enum Kind {
    FIELD,
    KEY,
    VALUE,
    INDEX
  }

  public static PathElement field(String name) {
    return new PathElement(Kind.FIELD, JSON.getNodeFactory().textNode(name));
  }

  /** An associative-list element; {@code keys} are written sorted by name, as upstream does. */
  public static PathElement key(Map<String, JsonNode> keys) {
    ObjectNode sorted = JSON.createObjectNode();
    keys.keySet().stream().sorted().forEach(k -> sorted.set(k, keys.get(k)));
    return new PathElement(Kind.KEY, sorted);
  }

  public static PathElement value(JsonNode v) {
    return new PathElement(Kind.VALUE, v);
  }

  public static PathElement index(int i) {
    return new PathElement(Kind.INDEX, JSON.getNodeFactory().numberNode(i));
  }

  /** The field name; only for {@link Kind#FIELD}. */
  public String name() {
    return value.asText();
  }

  /** The key of this element in a {@code fieldsV1} document. */
  public String fieldsV1Key() {
    return switch (kind) {
      case FIELD -> "f:" + value.asText();
      case KEY -> "k:" + value;
      case VALUE -> "v:" + value;
      case INDEX -> "i:" + value.asInt();
    };
  }

  /** Parses a {@code fieldsV1} key; null for one this server does not know. */
  public static PathElement parse(String key) {
    if (key.length() < 2 || key.charAt(1) != ':') {
      return null;
    }
    String rest = key.substring(2);
    try {
      return switch (key.charAt(0)) {
        case 'f' -> field(rest);
        case 'k' -> new PathElement(Kind.KEY, JSON.readTree(rest));
        case 'v' -> value(JSON.readTree(rest));
        case 'i' -> index(Integer.parseInt(rest));
        default -> null;
      };
    } catch (java.io.IOException | NumberFormatException e) {
      return null;
    }
  }

  /** As upstream prints paths in conflicts: {@code .spec}, {@code [name="app"]}, {@code [=x]}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FIELD -> "." + value.asText();
      case KEY -> {
        List<String> parts = new ArrayList<>();
        value.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        yield "[" + String.join(",", parts) + "]";
      }
      case VALUE -> "[=" + value + "]";
      case INDEX -> "[" + value.asInt() + "]";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathElement p && compareTo(p) == 0;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value.toString().hashCode();
  }

  @Override
  public int compareTo(PathElement o) {
    int c = kind.compareTo(o.kind);
    if (c != 0) {
      return c;
    }
    return switch (kind) {
      case FIELD -> value.asText().compareTo(o.value.asText());
      case INDEX -> Integer.compare(value.asInt(), o.value.asInt());
      default -> value.toString().compareTo(o.value.toString());
    };
  }
}
