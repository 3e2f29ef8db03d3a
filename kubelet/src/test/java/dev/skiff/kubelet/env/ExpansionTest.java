package dev.skiff.kubelet.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {
  private final Map<String, String> vars = Map.of("A", "1", "B", "two");

  @Test
  void replacesDefinedVariables() {
    assertEquals("x1-two", Expansion.expand("x$(A)-$(B)", vars));
  }

  @Test
  void keepsUndefinedReferencesAndEscapes() {
    assertEquals("$(C) $(A) $", Expansion.expand("$(C) $$(A) $$", vars));
    assertEquals("$(A", Expansion.expand("$(A", vars));
    assertEquals("a$b", Expansion.expand("a$b", vars));
  }
}
