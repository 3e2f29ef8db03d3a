package dev.skiff.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Cell formatting shared by the printers, as upstream's kubectl printers format values. */
public final class Printing {

  private Printing() {}

  /** {@code <none>}, what kubectl prints for an empty cell. */
  public static final String NONE = "<none>";

  /** The AGE cell: time since {@code metadata.creationTimestamp}. */
  public static String age(JsonNode obj) {
    return since(obj.path("metadata").path("creationTimestamp").asText(""));
  }

  /** Upstream's translateTimestampSince: {@code <unknown>} for a missing time. */
  public static String since(String timestamp) {
    if (timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), Instant.now()));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  /** Upstream's duration.HumanDuration: two significant units, coarser as time passes. */
  public static String humanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 180) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }

  public static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asText();
  }

  /** A text field, or {@code <none>} when missing or empty. */
  public static String orNone(JsonNode value) {
    String s = value.isValueNode() ? value.asText("") : "";
    return s.isEmpty() ? NONE : s;
  }

  /** Values joined with commas, or {@code <none>} when there are none. */
  public static String joined(List<String> values) {
    return values.isEmpty() ? NONE : String.join(",", values);
  }

  /** One string per array element, through {@code f}. */
  public static List<String> each(JsonNode array, Function<JsonNode, String> f) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(f.apply(n));
    }
    return out;
  }

  /** A map as upstream prints selectors: {@code k=v,k2=v2}, sorted by key. */
  public static String selector(JsonNode map) {
    if (!map.isObject() || map.isEmpty()) {
      return NONE;
    }
    List<String> parts = new ArrayList<>();
    map.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    parts.sort(null);
    return String.join(",", parts);
  }

  /**
   * A metav1.LabelSelector as text, as upstream's LabelSelectorAsSelector(...).String(): match
   * labels then expressions, sorted by key; {@code <none>} for an empty one.
   */
  public static String labelSelector(JsonNode selector) {
    List<String> parts = new ArrayList<>();
    selector
        .path("matchLabels")
        .properties()
        .forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode e : selector.path("matchExpressions")) {
      String key = e.path("key").asText();
      List<String> values = each(e.path("values"), JsonNode::asText);
      values.sort(null);
      parts.add(
          switch (e.path("operator").asText()) {
            case "In" -> key + " in (" + String.join(",", values) + ")";
            case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
            case "Exists" -> key;
            case "DoesNotExist" -> "!" + key;
            default -> key + "?";
          });
    }
    if (parts.isEmpty()) {
      return NONE;
    }
    parts.sort((a, b) -> keyOf(a).compareTo(keyOf(b)));
    return String.join(",", parts);
  }

  private static String keyOf(String requirement) {
    String s = requirement.startsWith("!") ? requirement.substring(1) : requirement;
    int cut = s.length();
    for (String sep : List.of("=", " in (", " notin (")) {
      int i = s.indexOf(sep);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return s.substring(0, cut);
  }
}
