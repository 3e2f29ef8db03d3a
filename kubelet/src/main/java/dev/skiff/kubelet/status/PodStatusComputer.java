package dev.skiff.kubelet.status;

import dev.skiff.kubelet.pod.EphemeralContainerSpecs;
import dev.skiff.kubelet.pod.PodResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pod's status from its spec, the runtime's containers and the kubelet's probe and wait
 * results: phase, conditions, container statuses, IPs, QoS class. Pure: no I/O.
 */
public final class PodStatusComputer {
  /** The scheme of container IDs, as {@code kubectl describe} shows them. */
  public static final String CONTAINER_ID_SCHEME = "skiff://";

  private PodStatusComputer() {}

  public static PodStatus compute(Pod pod, RuntimePodState rt, PodStatusContext ctx) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    var spec = pod.getSpec();
    List<ContainerStatus> inits = new ArrayList<>();
    boolean initDone = true;
    for (Container c : spec.getInitContainers()) {
      ContainerStatus s = container(c, rt, ctx, "PodInitializing");
      inits.add(s);
      if (!succeeded(s)) {
        initDone = false;
      }
    }
    List<ContainerStatus> regular = new ArrayList<>();
    for (Container c : spec.getContainers()) {
      regular.add(container(c, rt, ctx, initDone ? "ContainerCreating" : "PodInitializing"));
    }
    List<ContainerStatus> ephemeral = new ArrayList<>();
    for (Container c : EphemeralContainerSpecs.of(pod)) {
      ephemeral.add(container(c, rt, ctx, "ContainerCreating"));
    }
    String restartPolicy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
    String phase = PodPhases.phase(restartPolicy, inits, regular, ctx.terminating());
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    String now = ctx.now().truncatedTo(ChronoUnit.SECONDS).toString();

    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            old, "PodReadyToStartContainers", rt.sandboxReady() && !terminal, null, null, now));
    List<String> incomplete = new ArrayList<>();
    for (ContainerStatus s : inits) {
      if (!succeeded(s)) {
        incomplete.add(s.getName());
      }
    }
    conditions.add(
        condition(
            old,
            "Initialized",
            incomplete.isEmpty(),
            incomplete.isEmpty() ? null : "ContainersNotInitialized",
            incomplete.isEmpty()
                ? null
                : "containers with incomplete status: [" + String.join(" ", incomplete) + "]",
            now));
    List<String> unready = new ArrayList<>();
    for (ContainerStatus s : regular) {
      if (!Boolean.TRUE.equals(s.getReady())) {
        unready.add(s.getName());
      }
    }
    boolean ready = unready.isEmpty() && !terminal;
    String unreadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String unreadyMessage =
        terminal ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
    conditions.add(
        condition(
            old,
            "ContainersReady",
            ready,
            ready ? null : unreadyReason,
            ready ? null : unreadyMessage,
            now));
    conditions.add(
        condition(
            old, "Ready", ready, ready ? null : unreadyReason, ready ? null : unreadyMessage, now));
    for (PodCondition c : old.getConditions()) {
      if (!kubeletOwned(c.getType())) {
        conditions.add(c);
      }
    }

    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase(phase)
            .withConditions(conditions)
            .withHostIP(ctx.hostIp())
            .withHostIPs(new HostIP(ctx.hostIp()))
            .withStartTime(old.getStartTime() != null ? old.getStartTime() : now)
            .withInitContainerStatuses(inits)
            .withContainerStatuses(regular)
            .withEphemeralContainerStatuses(ephemeral.isEmpty() ? null : ephemeral)
            .withQosClass(PodResources.qos(pod).apiName());
    String podIp = podIp(pod, rt, ctx);
    if (podIp != null) {
      b.withPodIP(podIp).withPodIPs(new PodIP(podIp));
    } else if (old.getPodIP() != null) {
      // The sandbox is gone (the pod finished): its address stays on record.
      b.withPodIP(old.getPodIP()).withPodIPs(old.getPodIPs());
    }
    if (old.getNominatedNodeName() != null) {
      b.withNominatedNodeName(old.getNominatedNodeName());
    }
    return b.build();
  }

  private static String podIp(Pod pod, RuntimePodState rt, PodStatusContext ctx) {
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      return ctx.hostIp();
    }
    if (rt.sandbox() == null || rt.sandbox().ip() == null || rt.sandbox().ip().isEmpty()) {
      return null;
    }
    return rt.sandbox().ip();
  }

  static boolean kubeletOwned(String type) {
    return switch (type) {
      case "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready" -> true;
      default -> false;
    };
  }

  static boolean succeeded(ContainerStatus s) {
    return s.getState() != null
        && s.getState().getTerminated() != null
        && s.getState().getTerminated().getExitCode() == 0;
  }

  private static ContainerStatus container(
      Container spec, RuntimePodState rt, PodStatusContext ctx, String defaultWaiting) {
    String name = spec.getName();
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(name)
            .withImage(spec.getImage())
            .withImageID("")
            .withReady(false)
            .withStarted(false)
            .withRestartCount(0);
    Optional<dev.skiff.runtime.ContainerStatus> latest = rt.latest(name);
    ContainerWaiting waiting = ctx.waiting().get(name);
    if (latest.isEmpty()) {
      String reason = waiting == null ? defaultWaiting : waiting.reason();
      String message = waiting == null ? null : waiting.message();
      return b.withState(
              new ContainerStateBuilder()
                  .withNewWaiting()
                  .withReason(reason)
                  .withMessage(message)
                  .endWaiting()
                  .build())
          .build();
    }
    var cur = latest.get();
    b.withRestartCount(cur.metadata().attempt())
        .withContainerID(CONTAINER_ID_SCHEME + cur.id())
        .withImageID(cur.imageRef() == null ? "" : cur.imageRef());
    rt.previous(name)
        .ifPresent(p -> b.withNewLastState().withTerminated(terminated(p)).endLastState());
    switch (cur.state()) {
      case CONTAINER_RUNNING -> {
        boolean started = ctx.started().getOrDefault(name, spec.getStartupProbe() == null);
        boolean ready = started && ctx.ready().getOrDefault(name, spec.getReadinessProbe() == null);
        b.withState(
                new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(time(cur.startedAt()))
                    .endRunning()
                    .build())
            .withStarted(started)
            .withReady(ready);
      }
      case CONTAINER_EXITED -> {
        if (waiting != null) {
          b.withState(
                  new ContainerStateBuilder()
                      .withNewWaiting()
                      .withReason(waiting.reason())
                      .withMessage(waiting.message())
                      .endWaiting()
                      .build())
              .withNewLastState()
              .withTerminated(terminated(cur))
              .endLastState();
        } else {
          b.withState(new ContainerStateBuilder().withTerminated(terminated(cur)).build());
        }
      }
      default -> {
        String reason = waiting == null ? "ContainerCreating" : waiting.reason();
        b.withState(
            new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(waiting == null ? null : waiting.message())
                .endWaiting()
                .build());
      }
    }
    return b.build();
  }

  static ContainerStateTerminated terminated(dev.skiff.runtime.ContainerStatus s) {
    String reason = s.reason();
    if (reason == null || reason.isEmpty()) {
      reason = s.exitCode() == 0 ? "Completed" : "Error";
    }
    String message = s.message() == null || s.message().isEmpty() ? null : s.message();
    return new ContainerStateTerminatedBuilder()
        .withExitCode(s.exitCode())
        .withReason(reason)
        .withMessage(message)
        .withStartedAt(s.startedAt() == 0 ? null : time(s.startedAt()))
        .withFinishedAt(s.finishedAt() == 0 ? null : time(s.finishedAt()))
        .withContainerID(CONTAINER_ID_SCHEME + s.id())
        .build();
  }

  /** Runtime times are nanoseconds since the epoch; API times are RFC 3339 seconds. */
  static String time(long nanos) {
    return Instant.ofEpochSecond(nanos / 1_000_000_000L).toString();
  }

  private static PodCondition condition(
      PodStatus old, String type, boolean status, String reason, String message, String now) {
    String s = status ? "True" : "False";
    String transition =
        old.getConditions().stream()
            .filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
            .map(PodCondition::getLastTransitionTime)
            .filter(t -> t != null)
            .findFirst()
            .orElse(now);
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(s)
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(null)
        .withLastTransitionTime(transition)
        .build();
  }
}
