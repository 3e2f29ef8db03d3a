package dev.skiff.network.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's iptables brought in line with a set of Services and EndpointSlices: builds the
 * ruleset, writes only what changed since the last successful sync, and keeps the jumps from the
 * built-in chains in place. {@link #cleanup()} removes everything it ever adds. Not thread-safe:
 * one sync at a time.
 */
public final class IptablesSyncer {
  /** A jump from a built-in chain into ours, as kube-proxy installs them. */
  public record Jump(String table, String chain, List<String> spec) {}

  public static final List<Jump> JUMPS =
      List.of(
          jumpNew(
              "filter",
              "INPUT",
              "kubernetes load balancer firewall",
              RulesetBuilder.PROXY_FIREWALL),
          jumpNew(
              "filter",
              "FORWARD",
              "kubernetes load balancer firewall",
              RulesetBuilder.PROXY_FIREWALL),
          jumpNew(
              "filter",
              "OUTPUT",
              "kubernetes load balancer firewall",
              RulesetBuilder.PROXY_FIREWALL),
          jump("nat", "PREROUTING", "kubernetes service portals", RulesetBuilder.SERVICES),
          jump("nat", "OUTPUT", "kubernetes service portals", RulesetBuilder.SERVICES),
          jump("nat", "POSTROUTING", "kubernetes postrouting rules", RulesetBuilder.POSTROUTING),
          jumpNew(
              "filter",
              "INPUT",
              "kubernetes externally-visible service portals",
              RulesetBuilder.EXTERNAL_SERVICES),
          jumpNew(
              "filter",
              "FORWARD",
              "kubernetes externally-visible service portals",
              RulesetBuilder.EXTERNAL_SERVICES),
          jumpNew("filter", "FORWARD", "kubernetes service portals", RulesetBuilder.SERVICES),
          jumpNew("filter", "OUTPUT", "kubernetes service portals", RulesetBuilder.SERVICES),
          jump("filter", "FORWARD", "kubernetes forwarding rules", RulesetBuilder.FORWARD));

  private static final Set<String> TABLES = Set.of(RulesetBuilder.NAT, RulesetBuilder.FILTER);
  private static final List<String> PER_SERVICE_PREFIXES =
      List.of("KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-SEP-", "KUBE-FW-");
  private static final Set<String> BASE_CHAINS =
      Set.of(
          RulesetBuilder.SERVICES,
          RulesetBuilder.NODEPORTS,
          RulesetBuilder.POSTROUTING,
          RulesetBuilder.MARK_MASQ,
          RulesetBuilder.EXTERNAL_SERVICES,
          RulesetBuilder.FORWARD,
          RulesetBuilder.PROXY_FIREWALL);

  private final RulesetBuilder builder;
  private final Iptables iptables;
  private Ruleset applied;
  private long lastFullSyncNanos;

  public IptablesSyncer(ProxyConfig config, Iptables iptables) {
    this.builder = new RulesetBuilder(config);
    this.iptables = iptables;
  }

  private static Jump jump(String table, String chain, String comment, String target) {
    return new Jump(table, chain, List.of("-m", "comment", "--comment", comment, "-j", target));
  }

  private static Jump jumpNew(String table, String chain, String comment, String target) {
    return new Jump(
        table,
        chain,
        List.of(
            "-m",
            "conntrack",
            "--ctstate",
            "NEW",
            "-m",
            "comment",
            "--comment",
            comment,
            "-j",
            target));
  }

  /**
   * As kube-proxy: between full syncs only changed chains are written and the jumps are not
   * re-checked (each check is a process); a full sync rewrites everything, finds stale chains
   * afresh and restores the jumps, healing whatever else changed our rules.
   */
  static final Duration FULL_SYNC_PERIOD = Duration.ofHours(1);

  /**
   * What one sync did: rules wanted, bytes of restore input written (0: nothing changed), and
   * whether it was a full sync.
   */
  public record SyncResult(int rules, int bytesWritten, boolean full) {}

  public SyncResult sync(Collection<Service> services, Collection<EndpointSlice> slices)
      throws IOException {
    List<ServicePortInfo> ports = new ArrayList<>();
    for (Service service : services) {
      ports.addAll(ProxyInputs.servicePorts(service));
    }
    Ruleset desired = builder.build(ports, ProxyInputs.endpoints(slices));
    return apply(desired);
  }

  /**
   * Writes {@code desired}: what changed since the last sync, or everything on the first sync,
   * after a failure and once per {@link #FULL_SYNC_PERIOD}.
   */
  public SyncResult apply(Ruleset desired) throws IOException {
    long now = System.nanoTime();
    boolean full = applied == null || now - lastFullSyncNanos > FULL_SYNC_PERIOD.toNanos();
    Ruleset previous = full ? null : applied;
    Map<String, Set<String>> existing = full ? owned(iptables.kubeChains(TABLES), false) : Map.of();
    String input = IptablesRestoreWriter.render(desired, previous, existing);
    applied = null;
    if (!input.isEmpty()) {
      iptables.restore(input);
    }
    if (full) {
      for (Jump j : JUMPS) {
        iptables.ensureRule(j.table(), j.chain(), j.spec());
      }
      lastFullSyncNanos = now;
    }
    applied = desired;
    return new SyncResult(desired.ruleCount(), input.length(), full);
  }

  /** Removes the jumps and every chain this proxy owns, whoever wrote them last. */
  public void cleanup() throws IOException {
    for (Jump j : JUMPS) {
      iptables.deleteRule(j.table(), j.chain(), j.spec());
    }
    String input = IptablesRestoreWriter.renderCleanup(owned(iptables.kubeChains(TABLES), true));
    if (!input.isEmpty()) {
      iptables.restore(input);
    }
    applied = null;
  }

  private static Map<String, Set<String>> owned(
      Map<String, Set<String>> found, boolean includeBase) {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    found.forEach(
        (table, chains) -> {
          Set<String> mine = new LinkedHashSet<>();
          for (String chain : chains) {
            boolean perService = PER_SERVICE_PREFIXES.stream().anyMatch(chain::startsWith);
            if (perService || (includeBase && BASE_CHAINS.contains(chain))) {
              mine.add(chain);
            }
          }
          result.put(table, mine);
        });
    return result;
  }
}
