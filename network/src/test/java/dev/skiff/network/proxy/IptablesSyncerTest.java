package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sync protocol against a recording {@link Iptables}: what each kind of sync costs. */
class IptablesSyncerTest {
  /** Records every call; the next restore fails when {@code failNext} is set. */
  private static final class RecordingIptables implements Iptables {
    final List<String> restores = new ArrayList<>();
    int listings;
    int ruleChecks;
    boolean failNext;

    @Override
    public void restore(String input) throws IOException {
      if (failNext) {
        failNext = false;
        throw new IOException("iptables-restore failed (exit 1): line 3 failed");
      }
      restores.add(input);
    }

    @Override
    public Map<String, Set<String>> kubeChains(Set<String> tables) {
      listings++;
      Map<String, Set<String>> chains = new LinkedHashMap<>();
      tables.forEach(t -> chains.put(t, Set.of("KUBE-SVC-STALESTALESTALE")));
      return chains;
    }

    @Override
    public void ensureRule(String table, String chain, List<String> spec) {
      ruleChecks++;
    }

    @Override
    public void deleteRule(String table, String chain, List<String> spec) {}
  }

  private final RecordingIptables iptables = new RecordingIptables();
  private final IptablesSyncer syncer =
      new IptablesSyncer(ProxyConfig.of("node-a", "10.42.0.0/16"), iptables);
  private final Service web = service("ns1", "web", "10.43.0.20", 80).build();

  @Test
  void firstSyncIsFullAndLaterOnesWriteOnlyTheChangedChains() throws IOException {
    var first = syncer.sync(List.of(web), List.of(slice("ns1", "web", 80, 8080, "10.42.0.5")));
    assertTrue(first.full());
    assertEquals(1, iptables.listings);
    assertEquals(IptablesSyncer.JUMPS.size(), iptables.ruleChecks);
    assertTrue(iptables.restores.getLast().contains("-X KUBE-SVC-STALESTALESTALE"));

    var second =
        syncer.sync(List.of(web), List.of(slice("ns1", "web", 80, 8080, "10.42.0.5", "10.42.0.6")));
    assertFalse(second.full());
    assertEquals(1, iptables.listings, "no iptables-save on a partial sync");
    assertEquals(IptablesSyncer.JUMPS.size(), iptables.ruleChecks, "no jump checks either");
    String delta = iptables.restores.getLast();
    assertTrue(delta.contains(":" + ChainNames.service("ns1/web:p80", "tcp") + " "), delta);
    assertTrue(delta.contains("10.42.0.6:8080"), delta);
    String sep5 = ChainNames.endpoint("ns1/web:p80", "tcp", "10.42.0.5:8080");
    assertFalse(delta.contains(":" + sep5 + " "), "the unchanged endpoint chain is not rewritten");
    assertFalse(delta.contains(":KUBE-NODEPORTS"), delta);

    int restores = iptables.restores.size();
    var same =
        syncer.sync(List.of(web), List.of(slice("ns1", "web", 80, 8080, "10.42.0.5", "10.42.0.6")));
    assertEquals(0, same.bytesWritten());
    assertEquals(restores, iptables.restores.size(), "nothing changed, nothing run");
  }

  @Test
  void syncAfterAFailedRestoreIsFull() throws IOException {
    var slices = List.of(slice("ns1", "web", 80, 8080, "10.42.0.5"));
    syncer.sync(List.of(web), slices);
    iptables.failNext = true;
    assertThrows(
        IOException.class,
        () -> syncer.sync(List.of(web), List.of(slice("ns1", "web", 80, 8080, "10.42.0.7"))));

    var retry = syncer.sync(List.of(web), List.of(slice("ns1", "web", 80, 8080, "10.42.0.7")));
    assertTrue(retry.full());
    assertEquals(2, iptables.listings);
    assertEquals(2 * IptablesSyncer.JUMPS.size(), iptables.ruleChecks);
    assertTrue(iptables.restores.getLast().contains(":KUBE-NODEPORTS"), "everything rewritten");
  }
}
