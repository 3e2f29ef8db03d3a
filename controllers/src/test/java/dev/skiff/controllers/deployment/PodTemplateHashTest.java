package dev.skiff.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  private static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void theHashUsesOnlyTheSafeAlphabetAndIgnoresLabelOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    String hash = PodTemplateHash.compute(template(ab, "nginx"), null);
    assertTrue(hash.matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}"), hash);
    assertEquals(hash, PodTemplateHash.compute(template(ba, "nginx"), null));
    assertNotEquals(hash, PodTemplateHash.compute(template(ab, "nginx:2"), null));
    assertNotEquals(
        hash,
        PodTemplateHash.compute(template(ab, "nginx"), 1),
        "a collision count changes the hash");
  }

  @Test
  void templatesDifferingOnlyInTheHashLabelAreEqual() {
    PodTemplateSpec plain = template(Map.of("app", "web"), "nginx");
    PodTemplateSpec labelled = template(Map.of("app", "web", "pod-template-hash", "abc"), "nginx");
    assertTrue(PodTemplateHash.equalIgnoringHash(plain, labelled));
  }

  @Test
  void safeEncodingMapsDecimalDigitsOntoTheAlphabet() {
    // '0' is 48, 48 % 27 = 21 -> '4'; '9' is 57, 57 % 27 = 3 -> 'f'.
    assertEquals("4f", PodTemplateHash.safeEncode("09"));
  }

  @Test
  void percentagesRoundSurgeUpAndUnavailableDown() {
    assertEquals(3, Fenceposts.scaled(new IntOrString("25%"), 10, true));
    assertEquals(2, Fenceposts.scaled(new IntOrString("25%"), 10, false));
    assertEquals(4, Fenceposts.scaled(new IntOrString(4), 10, false));
  }
}
