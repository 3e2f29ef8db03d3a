package dev.skiff.controllers.nodelifecycle;

import java.time.Duration;

/**
 * Tuning of the node lifecycle controller, with kube-controller-manager's defaults.
 *
 * @param gracePeriod how long a node may go without renewing its Lease before it is Unknown ({@code
 *     --node-monitor-grace-period}, 40 s)
 * @param monitorPeriod how often node health is checked ({@code --node-monitor-period}, 5 s)
 * @param evictionRate nodes a second that get NoExecute taints in a healthy zone (0.1)
 * @param secondaryEvictionRate the same in a partially disrupted large zone (0.01)
 * @param largeClusterSize a zone above this many nodes is large (50)
 * @param unhealthyZoneThreshold share of not-ready nodes that makes a zone partially disrupted
 */
public record NodeLifecycleSettings(
    Duration gracePeriod,
    Duration monitorPeriod,
    double evictionRate,
    double secondaryEvictionRate,
    int largeClusterSize,
    double unhealthyZoneThreshold) {

  public static NodeLifecycleSettings defaults() {
    return withGracePeriod(Duration.ofSeconds(40));
  }

  public static NodeLifecycleSettings withGracePeriod(Duration gracePeriod) {
    return new NodeLifecycleSettings(gracePeriod, Duration.ofSeconds(5), 0.1, 0.01, 50, 0.55);
  }
}
