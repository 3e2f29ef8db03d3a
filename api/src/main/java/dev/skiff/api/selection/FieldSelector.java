package dev.skiff.api.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed field selector ({@code metadata.name=x,spec.nodeName!=}): equality clauses over an
 * object's selectable fields, with upstream's backslash escapes for {@code , = !}.
 */
public final class FieldSelector {
  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One clause; {@code negated} for {@code !=}. */
  public record Term(String field, String value, boolean negated) {
    public boolean matches(Map<String, String> fields) {
      String v = fields.getOrDefault(field, "");
      return negated != v.equals(value);
    }
  }

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  public static FieldSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : split(selector, ',')) {
      if (part.isBlank()) {
        continue;
      }
      terms.add(term(part));
    }
    return new FieldSelector(terms);
  }

  private static Term term(String part) {
    int i = indexOfUnescaped(part, "!=");
    if (i >= 0) {
      return new Term(unescape(part.substring(0, i).trim()), unescape(part.substring(i + 2)), true);
    }
    i = indexOfUnescaped(part, "==");
    if (i >= 0) {
      return new Term(
          unescape(part.substring(0, i).trim()), unescape(part.substring(i + 2)), false);
    }
    i = indexOfUnescaped(part, "=");
    if (i >= 0) {
      return new Term(
          unescape(part.substring(0, i).trim()), unescape(part.substring(i + 1)), false);
    }
    throw new SelectorParseException(
        "invalid selector: '" + part + "'; can't understand '" + part + "'");
  }

  private static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static int indexOfUnescaped(String s, String op) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.startsWith(op, i)) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        if ("\\,=!".indexOf(n) < 0) {
          throw new SelectorParseException(
              "invalid field selector: invalid escape sequence: \\" + n);
        }
        out.append(n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public boolean matches(Map<String, String> fields) {
    for (Term t : terms) {
      if (!t.matches(fields)) {
        return false;
      }
    }
    return true;
  }

  public List<Term> terms() {
    return terms;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  /** The value this selector requires for {@code field} by equality, if any. */
  public String requiredValue(String field) {
    for (Term t : terms) {
      if (t.field().equals(field) && !t.negated()) {
        return t.value();
      }
    }
    return null;
  }
}
