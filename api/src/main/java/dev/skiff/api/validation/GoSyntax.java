package dev.skiff.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a bad value the way upstream's Go prints it ({@code %#v}) in field errors, e.g. an
 * immutable selector as {@code v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, ...}}.
 * Only the shapes users meet in messages are covered.
 */
public record GoSyntax(String text) {

  @Override
  public String toString() {
    return text;
  }

  /** {@code map[string]string{"a":"b"}}, keys sorted as Go prints maps. */
  public static GoSyntax stringMap(JsonNode map) {
    return new GoSyntax(stringMapText(map));
  }

  /** A metav1.LabelSelector as {@code %#v} prints it in apps and batch validation. */
  public static GoSyntax labelSelector(JsonNode selector) {
    StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
    b.append(
        selector.has("matchLabels")
            ? stringMapText(selector.get("matchLabels"))
            : "map[string]string(nil)");
    b.append(", MatchExpressions:");
    JsonNode exprs = selector.path("matchExpressions");
    if (!exprs.isArray()) {
      b.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      b.append("[]v1.LabelSelectorRequirement{");
      for (int i = 0; i < exprs.size(); i++) {
        JsonNode e = exprs.get(i);
        b.append(i == 0 ? "" : ", ")
            .append("v1.LabelSelectorRequirement{Key:")
            .append(quote(e.path("key").asText()))
            .append(", Operator:")
            .append(quote(e.path("operator").asText()))
            .append(", Values:");
        JsonNode values = e.path("values");
        if (!values.isArray()) {
          b.append("[]string(nil)");
        } else {
          b.append("[]string{");
          for (int j = 0; j < values.size(); j++) {
            b.append(j == 0 ? "" : ", ").append(quote(values.get(j).asText()));
          }
          b.append('}');
        }
        b.append('}');
      }
      b.append('}');
    }
    return new GoSyntax(b.append('}').toString());
  }

  private static String stringMapText(JsonNode map) {
    if (map == null || !map.isObject()) {
      return "map[string]string(nil)";
    }
    Map<String, String> sorted = new TreeMap<>();
    map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder b = new StringBuilder("map[string]string{");
    boolean first = true;
    for (var e : sorted.entrySet()) {
      b.append(first ? "" : ", ").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
      first = false;
    }
    return b.append('}').toString();
  }

  /** Go's %q for the strings that appear in objects: quotes and backslashes escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
