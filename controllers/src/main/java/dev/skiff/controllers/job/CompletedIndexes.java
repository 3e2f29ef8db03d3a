package dev.skiff.controllers.job;

import java.util.TreeSet;

/** The {@code completedIndexes} notation of Indexed Jobs: "1,3-5,7". */
final class CompletedIndexes {
  private CompletedIndexes() {}

  static TreeSet<Integer> parse(String text) {
    TreeSet<Integer> indexes = new TreeSet<>();
    if (text == null || text.isBlank()) {
      return indexes;
    }
    for (String part : text.split(",")) {
      int dash = part.indexOf('-');
      if (dash < 0) {
        indexes.add(Integer.parseInt(part.trim()));
      } else {
        int from = Integer.parseInt(part.substring(0, dash).trim());
        int to = Integer.parseInt(part.substring(dash + 1).trim());
        for (int i = from; i <= to; i++) {
          indexes.add(i);
        }
      }
    }
    return indexes;
  }

  static String format(TreeSet<Integer> indexes) {
    StringBuilder out = new StringBuilder();
    Integer start = null;
    Integer previous = null;
    for (int i : indexes) {
      if (start == null) {
        start = i;
      } else if (i != previous + 1) {
        append(out, start, previous);
        start = i;
      }
      previous = i;
    }
    if (start != null) {
      append(out, start, previous);
    }
    return out.toString();
  }

  private static void append(StringBuilder out, int from, int to) {
    if (!out.isEmpty()) {
      out.append(',');
    }
    out.append(from);
    if (to > from) {
      out.append('-').append(to);
    }
  }
}
