package dev.skiff.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each node was last heard from, by our own clock: the moment we saw its Lease renewal time or
 * its Ready heartbeat change. Comparing our clock only with itself keeps skew between the kubelet's
 * clock and ours out of the grace period.
 */
final class NodeHealth {
  private record Probe(String leaseRenewTime, String readyHeartbeat, Instant observedAt) {}

  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  /** Records what the node shows now; returns when it was last seen changing. */
  Instant observe(String node, String leaseRenewTime, String readyHeartbeat, Instant now) {
    return probes
        .compute(
            node,
            (name, last) ->
                last == null
                        || !Objects.equals(last.leaseRenewTime(), leaseRenewTime)
                        || !Objects.equals(last.readyHeartbeat(), readyHeartbeat)
                    ? new Probe(leaseRenewTime, readyHeartbeat, now)
                    : last)
        .observedAt();
  }

  boolean isStale(String node, Duration grace, Instant now) {
    Probe probe = probes.get(node);
    return probe != null && now.isAfter(probe.observedAt().plus(grace));
  }

  /** Starts every node's grace period anew, as when our view of the cluster was unreliable. */
  void resetAll(Instant now) {
    probes.replaceAll((name, p) -> new Probe(p.leaseRenewTime(), p.readyHeartbeat(), now));
  }

  void retainOnly(Set<String> nodes) {
    probes.keySet().retainAll(nodes);
  }
}
