package dev.skiff.network.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IptablesRestoreWriterTest {

  private static Ruleset ruleset(String sepTarget) {
    Ruleset r = new Ruleset();
    r.add("nat", "KUBE-SERVICES", "-d 10.43.0.5/32 -j KUBE-SVC-A");
    r.add("nat", "KUBE-SVC-A", "-j " + sepTarget);
    r.add("nat", sepTarget, "-m tcp -p tcp -j DNAT --to-destination 10.42.0.5:80");
    r.chain("filter", "KUBE-SERVICES");
    return r;
  }

  @Test
  void fullRenderDeclaresEveryChainThenRulesThenCommit() {
    String text = IptablesRestoreWriter.render(ruleset("KUBE-SEP-1"), Map.of());
    assertEquals(
        """
        *nat
        :KUBE-SERVICES - [0:0]
        :KUBE-SVC-A - [0:0]
        :KUBE-SEP-1 - [0:0]
        -A KUBE-SERVICES -d 10.43.0.5/32 -j KUBE-SVC-A
        -A KUBE-SVC-A -j KUBE-SEP-1
        -A KUBE-SEP-1 -m tcp -p tcp -j DNAT --to-destination 10.42.0.5:80
        COMMIT
        *filter
        :KUBE-SERVICES - [0:0]
        COMMIT
        """,
        text);
  }

  @Test
  void leftoverChainsFoundInTheKernelAreDeletedAfterTheRules() {
    String text =
        IptablesRestoreWriter.render(
            ruleset("KUBE-SEP-1"), Map.of("nat", Set.of("KUBE-SEP-OLD", "KUBE-SERVICES")));
    assertTrue(text.contains(":KUBE-SEP-OLD - [0:0]\n"));
    assertTrue(text.indexOf("-X KUBE-SEP-OLD") > text.indexOf("-A KUBE-SEP-1"));
    assertFalse(text.contains("-X KUBE-SERVICES"));
  }

  @Test
  void partialRenderWritesOnlyChangedChainsAndDropsReplacedOnes() {
    Ruleset before = ruleset("KUBE-SEP-1");
    Ruleset after = ruleset("KUBE-SEP-2");
    String text = IptablesRestoreWriter.render(after, before, Map.of());
    assertEquals(
        """
        *nat
        :KUBE-SVC-A - [0:0]
        :KUBE-SEP-2 - [0:0]
        :KUBE-SEP-1 - [0:0]
        -A KUBE-SVC-A -j KUBE-SEP-2
        -A KUBE-SEP-2 -m tcp -p tcp -j DNAT --to-destination 10.42.0.5:80
        -X KUBE-SEP-1
        COMMIT
        """,
        text);
    assertEquals("", IptablesRestoreWriter.render(after, after, Map.of()));
  }

  @Test
  void cleanupFlushesBeforeDeletingSoCrossReferencesDoNotBlock() {
    String text =
        IptablesRestoreWriter.renderCleanup(
            Map.of(
                "nat",
                new java.util.LinkedHashSet<>(java.util.List.of("KUBE-SERVICES", "KUBE-SVC-A"))));
    assertEquals(
        """
        *nat
        :KUBE-SERVICES - [0:0]
        :KUBE-SVC-A - [0:0]
        -X KUBE-SERVICES
        -X KUBE-SVC-A
        COMMIT
        """,
        text);
  }
}
