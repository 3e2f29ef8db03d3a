package dev.skiff.api.quantity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityTest {

  @ParameterizedTest
  @CsvSource({
    "100m, 100m",
    "0.1, 100m",
    "0.5, 500m",
    "1.5, 1500m",
    "1000m, 1",
    "1, 1",
    "1000, 1k",
    "1500, 1500",
    "1k, 1k",
    "2000k, 2M",
    "1.5Gi, 1536Mi",
    "1024Mi, 1Gi",
    "0.5Gi, 512Mi",
    "512Ki, 512Ki",
    "1Ki, 1Ki",
    "0.5Ki, 512",
    "1536, 1536",
    "128974848, 128974848",
    "129e6, 129e6",
    "1e3, 1e3",
    "100e1, 1e3",
    "1E3, 1e3",
    "12345e-3, 12345e-3",
    "0, 0",
    "0Gi, 0",
    "+5, 5",
    "-1, -1",
    "-2Gi, -2Gi",
    "1n, 1n",
    "0.0000000001, 1n",
    "1u, 1u",
    "1E, 1E",
    "5M, 5M"
  })
  void canonicalFormMatchesUpstream(String input, String canonical) {
    assertEquals(canonical, Quantity.parse(input).toString());
  }

  @Test
  void comparesByAmountWhateverTheNotation() {
    assertEquals(0, Quantity.parse("1Gi").compareTo(Quantity.parse("1073741824")));
    assertEquals(Quantity.parse("1"), Quantity.parse("1000m"));
    assertTrue(Quantity.parse("1G").compareTo(Quantity.parse("1Gi")) < 0);
    assertTrue(Quantity.parse("250m").compareTo(Quantity.parse("0.3")) < 0);
  }

  @Test
  void valuesRoundUpAsUpstream() {
    assertEquals(250, Quantity.parse("250m").milliValue());
    assertEquals(1, Quantity.parse("1m").value());
    assertEquals(2, Quantity.parse("1.5").value());
    assertEquals(1073741824L, Quantity.parse("1Gi").value());
    assertEquals("1500m", Quantity.parse("1").add(Quantity.parse("500m")).toString());
    assertEquals("1536Mi", Quantity.ofBytes(1610612736L).toString());
    assertEquals("250m", Quantity.ofMillis(250).toString());
  }

  @Test
  void rejectsWhatUpstreamRejects() {
    var e = assertThrows(IllegalArgumentException.class, () -> Quantity.parse("abc"));
    assertTrue(e.getMessage().startsWith("quantities must match the regular expression"));
    assertEquals(
        "unable to parse quantity's suffix",
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1kM")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1.2.3"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1KiB"));
  }
}
