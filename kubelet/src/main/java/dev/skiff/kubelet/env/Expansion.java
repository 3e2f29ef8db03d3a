package dev.skiff.kubelet.env;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion: a defined variable is replaced, {@code $$} escapes a
 * dollar, and a reference to an undefined variable stays as written.
 */
public final class Expansion {
  private Expansion() {}

  public static String expand(String input, Map<String, String> vars) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char ch = input.charAt(i);
      if (ch != '$' || i + 1 >= input.length()) {
        out.append(ch);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        String value = vars.get(name);
        out.append(value != null ? value : input.substring(i, close + 1));
        i = close + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }

  public static List<String> expandAll(List<String> inputs, Map<String, String> vars) {
    return inputs == null ? List.of() : inputs.stream().map(s -> expand(s, vars)).toList();
  }
}
