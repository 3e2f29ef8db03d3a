package dev.skiff.scheduler.framework;

import java.time.Duration;
import java.util.List;

/**
 * A parsed KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1).
 *
 * @param percentageOfNodesToScore 0 for upstream's adaptive default
 */
public record SchedulerConfiguration(
    int percentageOfNodesToScore,
    Duration podInitialBackoff,
    Duration podMaxBackoff,
    List<ProfileConfig> profiles,
    LeaderElection leaderElection) {

  /**
   * Leader election on a coordination.k8s.io Lease.
   *
   * @param leaderElect false runs the scheduler unconditionally
   */
  public record LeaderElection(
      boolean leaderElect,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      String resourceNamespace,
      String resourceName) {
    public static final LeaderElection DEFAULT =
        new LeaderElection(
            true,
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            "kube-system",
            "kube-scheduler");
  }

  public SchedulerConfiguration {
    profiles = List.copyOf(profiles);
  }

  public SchedulerConfiguration withLeaderElection(LeaderElection le) {
    return new SchedulerConfiguration(
        percentageOfNodesToScore, podInitialBackoff, podMaxBackoff, profiles, le);
  }
}
