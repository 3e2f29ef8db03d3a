package dev.skiff.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TolerationsTest {
  private static final Taint UNREACHABLE =
      new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoExecute").build();
  private static final Taint NOT_READY =
      new TaintBuilder().withKey(NodeTaints.NOT_READY).withEffect("NoExecute").build();

  private static Toleration exists(String key, Long seconds) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator("Exists")
        .withEffect("NoExecute")
        .withTolerationSeconds(seconds)
        .build();
  }

  @Test
  void matchesByKeyEffectAndValue() {
    assertTrue(Tolerations.tolerates(exists(NodeTaints.UNREACHABLE, null), UNREACHABLE));
    assertFalse(Tolerations.tolerates(exists(NodeTaints.NOT_READY, null), UNREACHABLE));
    assertTrue(
        Tolerations.tolerates(new TolerationBuilder().withOperator("Exists").build(), UNREACHABLE));
    Taint valued =
        new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoExecute").build();
    assertTrue(
        Tolerations.tolerates(
            new TolerationBuilder().withKey("dedicated").withValue("gpu").build(), valued));
    assertFalse(
        Tolerations.tolerates(
            new TolerationBuilder().withKey("dedicated").withValue("cpu").build(), valued));
    assertFalse(
        Tolerations.tolerates(
            new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build(),
            valued));
  }

  @Test
  void theShortestUsedTolerationDecidesAndAnUntoleratedTaintMeansNow() {
    List<Taint> both = List.of(UNREACHABLE, NOT_READY);
    assertEquals(
        Optional.of(30L),
        Tolerations.tolerationSeconds(
            List.of(exists(NodeTaints.UNREACHABLE, 300L), exists(NodeTaints.NOT_READY, 30L)),
            both));
    assertEquals(
        Optional.of(0L),
        Tolerations.tolerationSeconds(List.of(exists(NodeTaints.UNREACHABLE, 300L)), both));
    assertEquals(
        Optional.empty(),
        Tolerations.tolerationSeconds(
            List.of(exists(NodeTaints.UNREACHABLE, null), exists(NodeTaints.NOT_READY, null)),
            both));
  }
}
