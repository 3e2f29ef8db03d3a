package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.env.ConfigError;
import dev.skiff.kubelet.status.ContainerWaiting;
import dev.skiff.kubelet.volume.VolumeError;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Starts one container of a pod: restart back-off, image, environment and mounts, create, start,
 * probes and postStart hook, with the events and waiting reasons of each step.
 */
final class ContainerStarter {
  private final PodWorkerContext ctx;

  ContainerStarter(PodWorkerContext ctx) {
    this.ctx = ctx;
  }

  void start(
      Pod pod,
      PodActions.ToStart s,
      String sandboxId,
      PodSandboxConfig sbConfig,
      String podIp,
      Instant now,
      BackOff backOff,
      Map<String, ContainerWaiting> waiting) {
    Container c = s.container();
    String name = c.getName();
    String uid = pod.getMetadata().getUid();
    String key = uid + "/" + name;
    if (s.lastFinishedAt() != 0) {
      Instant finished = Instant.ofEpochSecond(0, s.lastFinishedAt());
      if (backOff.inBackOffSince(key, finished, now)) {
        String podRef =
            pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")";
        waiting.put(
            name,
            new ContainerWaiting(
                "CrashLoopBackOff",
                "back-off "
                    + backOff.delay(key).toSeconds()
                    + "s restarting failed container="
                    + name
                    + " pod="
                    + podRef));
        ctx.events()
            .warning(
                pod,
                name,
                "BackOff",
                "Back-off restarting failed container " + name + " in pod " + podRef);
        return;
      }
      backOff.next(key, now);
    }
    try {
      ctx.images().ensure(pod, c, sbConfig, backOff, now);
    } catch (ImagePuller.PullFailure e) {
      waiting.put(name, e.waiting());
      return;
    }
    ContainerConfig config;
    try {
      Map<String, String> env = ctx.env().resolve(pod, c, podIp, ctx.config().nodeIp());
      config =
          ContainerConfigs.of(
              pod,
              c,
              s.init(),
              s.attempt(),
              env,
              ctx.volumes().mounts(pod, c),
              sbConfig,
              pidTarget(pod, name),
              ctx.nodeMemoryBytes());
    } catch (ConfigError | VolumeError e) {
      waiting.put(name, new ContainerWaiting("CreateContainerConfigError", e.getMessage()));
      ctx.events().warning(pod, name, "Failed", "Error: " + e.getMessage());
      return;
    }
    String id;
    try {
      id = ctx.runtime().createContainer(sandboxId, config, sbConfig);
    } catch (RuntimeException e) {
      waiting.put(name, new ContainerWaiting("CreateContainerError", e.getMessage()));
      ctx.events().warning(pod, name, "Failed", "Error: " + e.getMessage());
      return;
    }
    ctx.events().normal(pod, name, "Created", "Created container " + name);
    try {
      ctx.runtime().startContainer(id);
    } catch (RuntimeException e) {
      waiting.put(name, new ContainerWaiting("RunContainerError", e.getMessage()));
      ctx.events().warning(pod, name, "Failed", "Error: " + e.getMessage());
      return;
    }
    ctx.events().normal(pod, name, "Started", "Started container " + name);
    ctx.probers().started(pod, c, id, podIp);
    if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
      String err =
          ctx.hooks()
              .run(
                  c.getLifecycle().getPostStart(),
                  c,
                  id,
                  podIp,
                  Duration.ofSeconds(PodWorker.graceSeconds(pod)));
      if (err != null) {
        ctx.events().warning(pod, name, "FailedPostStartHook", err);
        ctx.events().normal(pod, name, "Killing", "FailedPostStartHook");
        ctx.runtime().stopContainer(id, PodWorker.graceSeconds(pod));
      }
    }
  }

  /** The running target's id for an ephemeral container with {@code targetContainerName}. */
  private String pidTarget(Pod pod, String name) throws ConfigError {
    String target = EphemeralContainerSpecs.target(pod, name);
    if (target == null) {
      return null;
    }
    var filter =
        new ContainerFilter(
            null,
            ContainerState.CONTAINER_RUNNING,
            null,
            Map.of(
                PodLabels.POD_UID, pod.getMetadata().getUid(), PodLabels.CONTAINER_NAME, target));
    return ctx.runtime().listContainers(filter).stream()
        .findFirst()
        .orElseThrow(() -> new ConfigError("target container \"" + target + "\" is not running"))
        .id();
  }
}
