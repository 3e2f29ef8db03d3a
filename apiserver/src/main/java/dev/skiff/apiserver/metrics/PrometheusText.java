package dev.skiff.apiserver.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A reader of the Prometheus text exposition format (0.0.4): what the API server needs to read a
 * kubelet's {@code /metrics/resource}, and what tests use to check that an endpoint's output is
 * well formed. Malformed input fails with the line at fault.
 */
public final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final List<String> TYPES =
      List.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line; {@code timestampMillis} is null when the line has none. */
  public record Sample(
      String name, Map<String, String> labels, double value, Long timestampMillis) {
    public String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  /** The samples and the declared type of each metric family. */
  public record Exposition(List<Sample> samples, Map<String, String> types) {
    public List<Sample> named(String name) {
      return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
  }

  public static final class Malformed extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Malformed(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  private PrometheusText() {}

  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int n = i + 1;
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] f = line.split("\\s+", 4);
        if (f.length >= 3 && (f[1].equals("HELP") || f[1].equals("TYPE"))) {
          if (!NAME.matcher(f[2]).matches()) {
            throw new Malformed(n, "invalid metric name " + f[2]);
          }
          if (f[1].equals("TYPE")) {
            if (f.length < 4 || !TYPES.contains(f[3].trim())) {
              throw new Malformed(n, "invalid metric type in " + line);
            }
            if (types.put(f[2], f[3].trim()) != null) {
              throw new Malformed(n, "second TYPE line for " + f[2]);
            }
          }
        }
        continue;
      }
      samples.add(sample(line, n));
    }
    return new Exposition(samples, types);
  }

  private static Sample sample(String line, int n) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!NAME.matcher(name).matches()) {
      throw new Malformed(n, "invalid metric name " + name);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels, n);
    }
    String[] rest = line.substring(i).trim().split("\\s+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw new Malformed(n, "expected a value and an optional timestamp");
    }
    try {
      double value = value(rest[0]);
      Long ts = rest.length == 2 ? Long.parseLong(rest[1]) : null;
      return new Sample(name, Map.copyOf(labels), value, ts);
    } catch (NumberFormatException e) {
      throw new Malformed(n, "invalid number in " + line);
    }
  }

  private static int labels(String line, int i, Map<String, String> labels, int n) {
    while (true) {
      if (i >= line.length()) {
        throw new Malformed(n, "unterminated label set");
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw new Malformed(n, "label without a value");
      }
      String key = line.substring(i, eq);
      if (!LABEL.matcher(key).matches()) {
        throw new Malformed(n, "invalid label name " + key);
      }
      if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new Malformed(n, "label value must be quoted");
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char e = line.charAt(++j);
          v.append(e == 'n' ? '\n' : e);
        } else {
          v.append(c);
        }
      }
      if (j >= line.length()) {
        throw new Malformed(n, "unterminated label value");
      }
      if (labels.put(key, v.toString()) != null) {
        throw new Malformed(n, "duplicate label " + key);
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
  }

  private static double value(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
