package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a JSON value as Go's {@code %v} prints the decoded value ({@code map[a:1 b:[x y]]}), the
 * form upstream's patch errors quote.
 */
final class GoFormat {
  private GoFormat() {}

  static String of(JsonNode v) {
    StringBuilder b = new StringBuilder();
    write(v, b);
    return b.toString();
  }

  private static void write(JsonNode v, StringBuilder b) {
    if (v.isObject()) {
      List<String> keys = new ArrayList<>();
      v.properties().forEach(e -> keys.add(e.getKey()));
      keys.sort(null);
      b.append("map[");
      for (int i = 0; i < keys.size(); i++) {
        b.append(i == 0 ? "" : " ").append(keys.get(i)).append(':');
        write(v.get(keys.get(i)), b);
      }
      b.append(']');
    } else if (v.isArray()) {
      b.append('[');
      for (int i = 0; i < v.size(); i++) {
        b.append(i == 0 ? "" : " ");
        write(v.get(i), b);
      }
      b.append(']');
    } else if (v.isNull()) {
      b.append("<nil>");
    } else {
      b.append(v.asText());
    }
  }
}
