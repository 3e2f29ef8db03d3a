package dev.skiff.controllers;

import java.time.Duration;
import java.util.Set;

/**
 * How the controller manager runs, with kube-controller-manager's defaults.
 *
 * @param identity this instance's name in the leader-election Lease
 * @param controllers the controllers to run by name ("replicaset", "deployment", …); "*" runs all
 * @param workers workers per controller (upstream's --concurrent-*-syncs, default 5)
 * @param leaderElect hold the {@code kube-system/kube-controller-manager} Lease before running
 * @param leaseDuration how long a Lease is valid without renewal (15 s)
 * @param renewDeadline how long the leader keeps trying to renew before it gives up (10 s)
 * @param retryPeriod how often candidates try to acquire or renew (2 s)
 * @param terminatedPodGcThreshold terminated pods kept before PodGC deletes the oldest (12,500)
 */
public record ControllerManagerOptions(
    String identity,
    Set<String> controllers,
    int workers,
    boolean leaderElect,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    int terminatedPodGcThreshold) {

  public static ControllerManagerOptions defaults(String identity) {
    return new ControllerManagerOptions(
        identity,
        Set.of("*"),
        5,
        true,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        12_500);
  }

  public boolean enabled(String controller) {
    return controllers.contains("*") || controllers.contains(controller);
  }
}
