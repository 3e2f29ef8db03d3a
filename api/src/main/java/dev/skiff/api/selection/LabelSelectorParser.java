package dev.skiff.api.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The query-string label selector grammar of upstream's labels.Parse. */
final class LabelSelectorParser {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private final String input;
  private int pos;

  LabelSelectorParser(String input) {
    this.input = input;
  }

  List<LabelRequirement> parse() {
    List<LabelRequirement> out = new ArrayList<>();
    while (true) {
      skipSpaces();
      out.add(requirement());
      skipSpaces();
      if (pos >= input.length()) {
        return out;
      }
      if (input.charAt(pos) != ',') {
        throw error("found '" + rest() + "', expected: ',' or 'end of string'");
      }
      pos++;
    }
  }

  private LabelRequirement requirement() {
    boolean negated = false;
    if (peek() == '!') {
      negated = true;
      pos++;
      skipSpaces();
    }
    String key = word();
    validateKey(key);
    skipSpaces();
    if (negated) {
      return new LabelRequirement(key, LabelRequirement.Operator.DOES_NOT_EXIST, List.of());
    }
    if (pos >= input.length() || peek() == ',') {
      return new LabelRequirement(key, LabelRequirement.Operator.EXISTS, List.of());
    }
    LabelRequirement.Operator op;
    if (input.startsWith("==", pos)) {
      pos += 2;
      op = LabelRequirement.Operator.EQUALS;
    } else if (input.startsWith("!=", pos)) {
      pos += 2;
      op = LabelRequirement.Operator.NOT_EQUALS;
    } else if (peek() == '=') {
      pos++;
      op = LabelRequirement.Operator.EQUALS;
    } else if (peek() == '>') {
      pos++;
      op = LabelRequirement.Operator.GREATER_THAN;
    } else if (peek() == '<') {
      pos++;
      op = LabelRequirement.Operator.LESS_THAN;
    } else if (input.startsWith("notin", pos)) {
      pos += 5;
      return new LabelRequirement(key, LabelRequirement.Operator.NOT_IN, valueSet());
    } else if (input.startsWith("in", pos)) {
      pos += 2;
      return new LabelRequirement(key, LabelRequirement.Operator.IN, valueSet());
    } else {
      throw error("found '" + word() + "', expected: '=', '!=', '==', 'in', notin'");
    }
    skipSpaces();
    String value = word();
    if (op == LabelRequirement.Operator.GREATER_THAN || op == LabelRequirement.Operator.LESS_THAN) {
      try {
        Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw error("for 'Gt', 'Lt' operators, the value must be an integer");
      }
    } else {
      validateValue(value);
    }
    return new LabelRequirement(key, op, List.of(value));
  }

  private List<String> valueSet() {
    skipSpaces();
    if (peek() != '(') {
      throw error("found '" + rest() + "', expected: '('");
    }
    pos++;
    List<String> values = new ArrayList<>();
    while (true) {
      skipSpaces();
      String v = word();
      validateValue(v);
      values.add(v);
      skipSpaces();
      char c = peek();
      pos++;
      if (c == ')') {
        return values;
      }
      if (c != ',') {
        throw error("found '" + rest() + "', expected: ',', ')' or identifier");
      }
    }
  }

  private String word() {
    int start = pos;
    while (pos < input.length() && " \t,=!()<>".indexOf(input.charAt(pos)) < 0) {
      pos++;
    }
    return input.substring(start, pos);
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : '\0';
  }

  private String rest() {
    return input.substring(Math.min(pos, input.length()));
  }

  private void skipSpaces() {
    while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
      pos++;
    }
  }

  private SelectorParseException error(String message) {
    return new SelectorParseException("unable to parse requirement: " + message);
  }

  static void validateKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
        throw invalidKey(key, "prefix part must be a lowercase RFC 1123 subdomain");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw invalidKey(
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
              + " end with an alphanumeric character");
    }
  }

  static void validateValue(String value) {
    if (value.length() > 63 || !VALUE.matcher(value).matches()) {
      throw new SelectorParseException(
          "unable to parse requirement: values[0][value]: Invalid value: \""
              + value
              + "\": a valid label must be an empty string or consist of alphanumeric characters,"
              + " '-', '_' or '.', and must start and end with an alphanumeric character");
    }
  }

  private static SelectorParseException invalidKey(String key, String why) {
    return new SelectorParseException(
        "unable to parse requirement: key: Invalid value: \"" + key + "\": " + why);
  }
}
