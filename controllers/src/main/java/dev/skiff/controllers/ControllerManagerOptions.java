package dev.skiff.controllers;

import dev.skiff.controllers.certificates.SigningCa;
import java.nio.file.Path;
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
 * @param nodeMonitorGracePeriod how long a node may not renew its Lease before it is Unknown (40 s)
 * @param clusterCidr the pod network node subnets are cut from (10.42.0.0/16)
 * @param nodeCidrMaskSize the prefix length of each node's podCIDR (24)
 * @param rootCaBundle PEM published as {@code kube-root-ca.crt} in every namespace; null: not run
 * @param localPathDir where the {@code local-path} provisioner makes volumes on nodes; null: off
 * @param csrSigningCa the CA that signs approved kubelet certificate requests; null: no signing
 * @param horizontalPodAutoscalerSyncPeriod how often each autoscaler is synced (15 s)
 * @param horizontalPodAutoscalerDownscaleStabilization how long scale-downs wait when an autoscaler
 *     has no behavior (5 min)
 */
public record ControllerManagerOptions(
    String identity,
    Set<String> controllers,
    int workers,
    boolean leaderElect,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    int terminatedPodGcThreshold,
    Duration nodeMonitorGracePeriod,
    String clusterCidr,
    int nodeCidrMaskSize,
    String rootCaBundle,
    Path localPathDir,
    SigningCa csrSigningCa,
    Duration horizontalPodAutoscalerSyncPeriod,
    Duration horizontalPodAutoscalerDownscaleStabilization) {

  public ControllerManagerOptions(
      String identity,
      Set<String> controllers,
      int workers,
      boolean leaderElect,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      int terminatedPodGcThreshold) {
    this(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        Duration.ofSeconds(40),
        "10.42.0.0/16",
        24,
        null,
        null,
        null,
        Duration.ofSeconds(15),
        Duration.ofMinutes(5));
  }

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

  public ControllerManagerOptions withRootCaBundle(String pem) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        clusterCidr,
        nodeCidrMaskSize,
        pem,
        localPathDir,
        csrSigningCa,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  public ControllerManagerOptions withLocalPathDir(Path dir) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        clusterCidr,
        nodeCidrMaskSize,
        rootCaBundle,
        dir,
        csrSigningCa,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  public ControllerManagerOptions withClusterCidr(String cidr, int maskSize) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        cidr,
        maskSize,
        rootCaBundle,
        localPathDir,
        csrSigningCa,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  public ControllerManagerOptions withNodeMonitorGracePeriod(Duration grace) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        grace,
        clusterCidr,
        nodeCidrMaskSize,
        rootCaBundle,
        localPathDir,
        csrSigningCa,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  public ControllerManagerOptions withCsrSigningCa(SigningCa ca) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        clusterCidr,
        nodeCidrMaskSize,
        rootCaBundle,
        localPathDir,
        ca,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  /** Autoscalers synced every {@code period}; tests use a short one. */
  public ControllerManagerOptions withHorizontalPodAutoscalerSyncPeriod(Duration period) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        clusterCidr,
        nodeCidrMaskSize,
        rootCaBundle,
        localPathDir,
        csrSigningCa,
        period,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  /** The Lease timings of leader election, shortened by tests and HA setups that fail over fast. */
  public ControllerManagerOptions withLeaderElection(
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    return new ControllerManagerOptions(
        identity,
        controllers,
        workers,
        leaderElect,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        terminatedPodGcThreshold,
        nodeMonitorGracePeriod,
        clusterCidr,
        nodeCidrMaskSize,
        rootCaBundle,
        localPathDir,
        csrSigningCa,
        horizontalPodAutoscalerSyncPeriod,
        horizontalPodAutoscalerDownscaleStabilization);
  }

  public boolean enabled(String controller) {
    return controllers.contains("*") || controllers.contains(controller);
  }
}
