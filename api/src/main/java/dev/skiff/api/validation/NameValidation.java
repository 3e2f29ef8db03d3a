package dev.skiff.api.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's string checks (apimachinery's util/validation): each returns the list of problems,
 * empty when the value is valid, with upstream's exact wording so clients see the same errors.
 */
public final class NameValidation {

  private NameValidation() {}

  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_LABEL_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character";
  private static final String DNS1123_SUBDOMAIN_FMT =
      DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1123_SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1035_LABEL_MSG =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character";
  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String QUALIFIED_NAME_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String LABEL_VALUE_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final String CONFIG_MAP_KEY_MSG =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

  public static final int DNS1123_LABEL_MAX = 63;
  public static final int DNS1123_SUBDOMAIN_MAX = 253;
  public static final int QUALIFIED_NAME_MAX = 63;
  public static final int LABEL_VALUE_MAX = 63;

  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      errs.add(maxLenError(DNS1123_LABEL_MAX));
    }
    if (!isDns1123Label(value, 0, value.length())) {
      errs.add(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
    }
    return errs;
  }

  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX));
    }
    if (!isDns1123Subdomain(value)) {
      errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  public static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      errs.add(maxLenError(DNS1123_LABEL_MAX));
    }
    if (!isDns1035Label(value)) {
      errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }
    return errs;
  }

  /** A label or annotation key: an optional DNS subdomain prefix and '/', then a short name. */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    int slash = value.indexOf('/');
    String name;
    if (slash < 0) {
      name = value;
    } else if (value.indexOf('/', slash + 1) < 0) {
      String prefix = value.substring(0, slash);
      name = value.substring(slash + 1);
      if (prefix.isEmpty()) {
        errs.add("prefix part " + emptyError());
      } else {
        for (String msg : dns1123Subdomain(prefix)) {
          errs.add("prefix part " + msg);
        }
      }
    } else {
      errs.add(
          "a qualified name "
              + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
              + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part " + emptyError());
    } else if (name.length() > QUALIFIED_NAME_MAX) {
      errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX));
    }
    if (!isQualifiedName(name)) {
      errs.add(
          "name part "
              + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_VALUE_MAX) {
      errs.add(maxLenError(LABEL_VALUE_MAX));
    }
    if (!(value.isEmpty() || isQualifiedName(value))) {
      errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** A key of a ConfigMap's or Secret's data. */
  public static List<String> configMapKey(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX));
    }
    if (!isConfigMapKey(value)) {
      errs.add(
          regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
    }
    if (value.equals(".")) {
      errs.add("must not be '.'");
    } else if (value.equals("..")) {
      errs.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errs.add("must not start with '..'");
    }
    return errs;
  }

  /** A port name: an IANA service name, at most 15 characters with at least one letter. */
  public static List<String> portName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 15) {
      errs.add(maxLenError(15));
    }
    if (!isPortNameChars(value)) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!hasLowerLetter(value)) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (value.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  public static List<String> portNumber(long port) {
    return port >= 1 && port <= 65535
        ? List.of()
        : List.of("must be between 1 and 65535, inclusive");
  }

  /**
   * A metadata name check as upstream's ValidateNameFunc: with {@code prefix} true the value is a
   * generateName, whose trailing dash is allowed because random characters follow it.
   */
  @FunctionalInterface
  public interface NameRule {
    List<String> check(String name, boolean prefix);
  }

  public static final NameRule DNS1123_SUBDOMAIN_NAME =
      (name, prefix) -> dns1123Subdomain(prefix ? maskTrailingDash(name) : name);
  public static final NameRule DNS1123_LABEL_NAME =
      (name, prefix) -> dns1123Label(prefix ? maskTrailingDash(name) : name);
  public static final NameRule DNS1035_LABEL_NAME =
      (name, prefix) -> dns1035Label(prefix ? maskTrailingDash(name) : name);

  /** RBAC and a few others accept any name that can be a path segment. */
  public static final NameRule PATH_SEGMENT_NAME =
      (name, prefix) -> {
        List<String> errs = new ArrayList<>();
        if (!prefix && (name.equals(".") || name.equals(".."))) {
          errs.add("may not be '" + name + "'");
        }
        for (String bad : List.of("/", "%")) {
          if (name.contains(bad)) {
            errs.add("may not contain '" + bad + "'");
          }
        }
        return errs;
      };

  private static String maskTrailingDash(String name) {
    return name.length() > 1 && name.endsWith("-")
        ? name.substring(0, name.length() - 1) + "a"
        : name;
  }

  // The checks below accept exactly what the regexes above (quoted in the messages) match; they
  // scan characters instead because these run for every name, label and key of every write.

  private static boolean isLowerAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }

  private static boolean isAlnum(char c) {
    return isLowerAlnum(c) || c >= 'A' && c <= 'Z';
  }

  /** {@code value[from, to)} is a DNS-1123 label. */
  private static boolean isDns1123Label(String value, int from, int to) {
    if (from >= to || !isLowerAlnum(value.charAt(from)) || !isLowerAlnum(value.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = value.charAt(i);
      if (!isLowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDns1123Subdomain(String value) {
    int from = 0;
    while (true) {
      int dot = value.indexOf('.', from);
      int to = dot < 0 ? value.length() : dot;
      if (!isDns1123Label(value, from, to)) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      from = dot + 1;
    }
  }

  private static boolean isDns1035Label(String value) {
    return !value.isEmpty()
        && value.charAt(0) >= 'a'
        && value.charAt(0) <= 'z'
        && isDns1123Label(value, 0, value.length());
  }

  private static boolean isQualifiedName(String value) {
    int n = value.length();
    if (n == 0 || !isAlnum(value.charAt(0)) || !isAlnum(value.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = value.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isConfigMapKey(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isPortNameChars(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isLowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLowerLetter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 'a' && value.charAt(i) <= 'z') {
        return true;
      }
    }
    return false;
  }

  public static String maxLenError(int length) {
    return "must be no more than " + length + " characters";
  }

  public static String emptyError() {
    return "must be non-empty";
  }

  /** Upstream's RegexError, including its double space between examples. */
  public static String regexError(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        b.append(" or ");
      }
      b.append('\'').append(examples[i]).append("', ");
    }
    return b.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
