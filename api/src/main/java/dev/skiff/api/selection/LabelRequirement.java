package dev.skiff.api.selection;

import java.util.List;
import java.util.Map;

/**
 * One clause of a label selector, as upstream's labels.Requirement.
 *
 * @param values the operands; one for equality and comparison operators, none for existence
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    GREATER_THAN,
    LESS_THAN
  }

  public LabelRequirement {
    values = List.copyOf(values);
  }

  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    return switch (operator) {
      case EQUALS, IN -> v != null && values.contains(v);
      case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
      case EXISTS -> v != null;
      case DOES_NOT_EXIST -> v == null;
      case GREATER_THAN -> compare(v) > 0;
      case LESS_THAN -> compare(v) < 0;
    };
  }

  // Returns 0 (no match either way) when either side is not an integer, as upstream does.
  private int compare(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(v), Long.parseLong(values.getFirst()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public String toString() {
    return switch (operator) {
      case EQUALS -> key + "=" + values.getFirst();
      case NOT_EQUALS -> key + "!=" + values.getFirst();
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case GREATER_THAN -> key + ">" + values.getFirst();
      case LESS_THAN -> key + "<" + values.getFirst();
    };
  }
}
