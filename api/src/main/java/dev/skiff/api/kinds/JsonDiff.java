package dev.skiff.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A short, readable account of how two JSON trees differ, one {@code - path: old} / {@code + path:
 * new} pair per changed leaf, for messages that tell a user what their update changed.
 */
public final class JsonDiff {

  private JsonDiff() {}

  public static String describe(JsonNode before, JsonNode after) {
    List<String> lines = new ArrayList<>();
    walk("", before, after, lines);
    return String.join("\n", lines);
  }

  private static void walk(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && a.equals(b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
      }
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        walk(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
      return;
    }
    if (a != null) {
      out.add("- " + path + ": " + a);
    }
    if (b != null) {
      out.add("+ " + path + ": " + b);
    }
  }
}
