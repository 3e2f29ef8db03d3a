package dev.skiff.controllers;

import dev.skiff.controllers.certificates.SigningCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How the controller manager runs, with kube-controller-manager's defaults.
 *
 * @param identity this instance's name in the leader-election Lease
 * @param controllers the controllers to run by name ("replicaset", "deployment", …); "*" runs all,
 *     "-name" leaves one out (as upstream's --controllers)
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
    return with(o -> o.rootCaBundle = pem);
  }

  public ControllerManagerOptions withLocalPathDir(Path dir) {
    return with(o -> o.localPathDir = dir);
  }

  public ControllerManagerOptions withClusterCidr(String cidr, int maskSize) {
    return with(
        o -> {
          o.clusterCidr = cidr;
          o.nodeCidrMaskSize = maskSize;
        });
  }

  public ControllerManagerOptions withNodeMonitorGracePeriod(Duration grace) {
    return with(o -> o.nodeMonitorGracePeriod = grace);
  }

  public ControllerManagerOptions withCsrSigningCa(SigningCa ca) {
    return with(o -> o.csrSigningCa = ca);
  }

  /** Autoscalers synced every {@code period}; tests use a short one. */
  public ControllerManagerOptions withHorizontalPodAutoscalerSyncPeriod(Duration period) {
    return with(o -> o.horizontalPodAutoscalerSyncPeriod = period);
  }

  /** The Lease timings of leader election, shortened by tests and HA setups that fail over fast. */
  public ControllerManagerOptions withLeaderElection(
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    return with(
        o -> {
          o.leaseDuration = leaseDuration;
          o.renewDeadline = renewDeadline;
          o.retryPeriod = retryPeriod;
        });
  }

  /** With {@code --controllers} as upstream takes it, e.g. {@code *,-service-lb-controller}. */
  public ControllerManagerOptions withControllers(Set<String> names) {
    return with(o -> o.controllers = Set.copyOf(names));
  }

  /** A copy with {@code change} applied, so each {@code withX} names only what it changes. */
  private ControllerManagerOptions with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The options as mutable fields, for the copy methods. */
  private static final class Copy {
    private final String identity;
    private Set<String> controllers;
    private final int workers;
    private final boolean leaderElect;
    private Duration leaseDuration;
    private Duration renewDeadline;
    private Duration retryPeriod;
    private final int terminatedPodGcThreshold;
    private Duration nodeMonitorGracePeriod;
    private String clusterCidr;
    private int nodeCidrMaskSize;
    private String rootCaBundle;
    private Path localPathDir;
    private SigningCa csrSigningCa;
    private Duration horizontalPodAutoscalerSyncPeriod;
    private final Duration horizontalPodAutoscalerDownscaleStabilization;

    private Copy(ControllerManagerOptions o) {
      identity = o.identity;
      controllers = o.controllers;
      workers = o.workers;
      leaderElect = o.leaderElect;
      leaseDuration = o.leaseDuration;
      renewDeadline = o.renewDeadline;
      retryPeriod = o.retryPeriod;
      terminatedPodGcThreshold = o.terminatedPodGcThreshold;
      nodeMonitorGracePeriod = o.nodeMonitorGracePeriod;
      clusterCidr = o.clusterCidr;
      nodeCidrMaskSize = o.nodeCidrMaskSize;
      rootCaBundle = o.rootCaBundle;
      localPathDir = o.localPathDir;
      csrSigningCa = o.csrSigningCa;
      horizontalPodAutoscalerSyncPeriod = o.horizontalPodAutoscalerSyncPeriod;
      horizontalPodAutoscalerDownscaleStabilization =
          o.horizontalPodAutoscalerDownscaleStabilization;
    }

    private ControllerManagerOptions build() {
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
  }

  public boolean enabled(String controller) {
    return !controllers.contains("-" + controller)
        && (controllers.contains("*") || controllers.contains(controller));
  }
}
