package dev.skiff.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The name checks scan characters; every string up to four characters over an alphabet that hits
 * each class boundary must be accepted exactly when upstream's regex matches it.
 */
class NameSyntaxTest {
  private static final String ALPHABET = "az09AZ-_./é";
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

  private static List<String> strings() {
    List<String> out = new ArrayList<>(List.of(""));
    List<String> last = List.of("");
    for (int len = 1; len <= 4; len++) {
      List<String> next = new ArrayList<>();
      for (String s : last) {
        for (char c : ALPHABET.toCharArray()) {
          next.add(s + c);
        }
      }
      out.addAll(next);
      last = next;
    }
    return out;
  }

  private static void assertSameLanguage(String regex, Function<String, List<String>> check) {
    Pattern p = Pattern.compile(regex);
    for (String s : strings()) {
      assertEquals(p.matcher(s).matches(), check.apply(s).isEmpty(), regex + " on '" + s + "'");
    }
  }

  @Test
  void dnsNamesAcceptWhatUpstreamsRegexesMatch() {
    assertSameLanguage(LABEL, NameValidation::dns1123Label);
    assertSameLanguage(LABEL + "(\\." + LABEL + ")*", NameValidation::dns1123Subdomain);
    assertSameLanguage("[a-z]([-a-z0-9]*[a-z0-9])?", NameValidation::dns1035Label);
  }

  @Test
  void labelsKeysAndPortNamesAcceptWhatUpstreamsRegexesMatch() {
    assertSameLanguage("(" + QUALIFIED + ")?", NameValidation::labelValue);
    assertSameLanguage(
        "(" + LABEL + "(\\." + LABEL + ")*/)?" + QUALIFIED, NameValidation::qualifiedName);
    assertSameLanguage("[-._a-zA-Z0-9]+(?<!^\\.\\.?)(?<!^\\.\\..*)", NameValidation::configMapKey);
    assertSameLanguage("(?=.*[a-z])(?!.*--)(?!-)[-a-z0-9]+(?<!-)", NameValidation::portName);
  }
}
