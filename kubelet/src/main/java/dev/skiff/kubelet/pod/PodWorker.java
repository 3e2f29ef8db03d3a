package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.status.ContainerWaiting;
import dev.skiff.kubelet.status.PodStatusComputer;
import dev.skiff.kubelet.status.PodStatusContext;
import dev.skiff.kubelet.status.RuntimePodState;
import dev.skiff.kubelet.volume.VolumeError;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod's worker: each sync reads the pod and the runtime, acts (sandbox, init containers,
 * containers, restarts with back-off, graceful termination) and writes the status. It syncs when
 * the pod changes and every second, which is how it notices containers that exit.
 */
final class PodWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  static final Duration RESYNC = Duration.ofSeconds(1);
  static final long DEFAULT_GRACE_SECONDS = 30;

  private final PodWorkerContext ctx;
  private final String uid;
  private final Runnable onFinished;
  private final ContainerStarter starter;
  private final Semaphore wake = new Semaphore(0);
  private final BackOff backOff = new BackOff();
  private final Map<String, ContainerWaiting> waiting = new HashMap<>();
  private volatile Pod desired;
  private volatile boolean removed;
  private volatile boolean stopped;
  private boolean terminated;
  private boolean admitted;
  private final java.util.function.Supplier<java.util.Collection<Pod>> otherPods;

  PodWorker(
      PodWorkerContext ctx,
      Pod pod,
      Runnable onFinished,
      java.util.function.Supplier<java.util.Collection<Pod>> otherPods) {
    this.ctx = ctx;
    this.otherPods = otherPods;
    this.starter = new ContainerStarter(ctx);
    this.uid = pod.getMetadata().getUid();
    this.desired = pod;
    this.onFinished = onFinished;
  }

  void update(Pod pod) {
    desired = pod;
    wake.release();
  }

  void wakeUp() {
    wake.release();
  }

  /** The pod is gone from the API server: stop and remove everything it had. */
  void remove() {
    removed = true;
    wake.release();
  }

  /** The kubelet stops: leave the pod's containers running. */
  void stop() {
    stopped = true;
    wake.release();
  }

  @Override
  public void run() {
    try {
      while (!stopped) {
        try {
          if (removed) {
            cleanup();
            return;
          }
          sync(desired);
        } catch (RuntimeException e) {
          LOG.warn("sync of pod {} failed: {}", uid, e.toString());
        }
        wake.tryAcquire(RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      onFinished.run();
    }
  }

  RuntimePodState snapshot() {
    var runtime = ctx.runtime();
    Map<String, String> byUid = Map.of(PodLabels.POD_UID, uid);
    List<PodSandbox> sandboxes = runtime.listPodSandbox(new PodSandboxFilter(null, null, byUid));
    var newest = sandboxes.stream().max(Comparator.comparingLong(PodSandbox::createdAt));
    List<ContainerStatus> containers = new ArrayList<>();
    for (var c : runtime.listContainers(new ContainerFilter(null, null, null, byUid))) {
      try {
        containers.add(
            TerminationMessages.withFallback(
                desired,
                runtime.containerStatus(c.id()),
                SandboxConfigs.logDirectory(ctx.config(), desired)));
      } catch (ContainerRuntimeException e) {
        if (e.code() != ContainerRuntimeException.Code.NOT_FOUND) {
          throw e;
        }
      }
    }
    return new RuntimePodState(
        newest.map(s -> runtime.podSandboxStatus(s.id())).orElse(null), containers);
  }

  private void sync(Pod pod) {
    Instant now = Instant.now();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (!terminated) {
        terminate(pod);
      }
      return;
    }
    RuntimePodState rt = snapshot();
    waiting.clear();
    if (isTerminal(pod)) {
      // A finished pod never runs again; its sandbox is stopped, its containers kept for logs.
      if (rt.sandboxReady()) {
        killPod(pod, rt, graceSeconds(pod));
      }
      return;
    }
    if (!admitted) {
      // A pod already running here (a kubelet restart) was admitted before.
      if (rt.sandbox() == null) {
        var rejection = ctx.admission().check(pod, otherPods.get());
        if (rejection.isPresent()) {
          var r = rejection.get();
          ctx.events().warning(pod, null, r.reason(), r.message());
          writeStatus(pod, rt, false, r.reason(), r.message());
          return;
        }
      }
      admitted = true;
    }
    if (deadlineExceeded(pod, now)) {
      killPod(pod, rt, graceSeconds(pod));
      writeStatus(
          pod,
          snapshot(),
          true,
          "DeadlineExceeded",
          "Pod was active on the node longer than the specified deadline");
      return;
    }
    try {
      ctx.volumes().setup(pod);
    } catch (VolumeError e) {
      ctx.events().warning(pod, null, "FailedMount", e.getMessage());
      writeStatus(pod, rt, false, null, null);
      return;
    }
    PodActions actions = SyncPlanner.plan(pod, rt, ctx.probers().unhealthy(uid));
    if (actions.killPod()) {
      if (!actions.podDone() && rt.sandbox() != null) {
        ctx.events()
            .normal(
                pod,
                null,
                "SandboxChanged",
                "Pod sandbox changed, it will be killed and re-created.");
      }
      killPod(pod, rt, graceSeconds(pod));
    }
    int sandboxAttempt =
        rt.sandbox() == null
            ? 0
            : rt.sandbox().metadata().attempt() + (actions.createSandbox() ? 1 : 0);
    PodSandboxConfig sbConfig = SandboxConfigs.of(ctx.config(), pod, sandboxAttempt);
    String sandboxId = rt.sandbox() == null ? null : rt.sandbox().id();
    if (actions.createSandbox()) {
      try {
        String handler = pod.getSpec().getRuntimeClassName();
        sandboxId = ctx.runtime().runPodSandbox(sbConfig, handler);
      } catch (RuntimeException e) {
        ctx.events()
            .warning(
                pod,
                null,
                "FailedCreatePodSandBox",
                "Failed to create pod sandbox: " + e.getMessage());
        writeStatus(pod, rt, false, null, null);
        return;
      }
      rt = snapshot();
    }
    for (PodActions.ToKill k : actions.toKill()) {
      ctx.events().normal(pod, k.name(), "Killing", k.reason());
      stopContainer(pod, k.name(), k.containerId(), graceSeconds(pod));
    }
    String podIp = podIp(pod, rt);
    for (PodActions.ToStart s : actions.toStart()) {
      starter.start(pod, s, sandboxId, sbConfig, podIp, now, backOff, waiting);
    }
    writeStatus(pod, snapshot(), false, null, null);
  }

  private void stopContainer(Pod pod, String name, String containerId, long graceSeconds) {
    Container c = spec(pod, name);
    long deadline = System.nanoTime() + Duration.ofSeconds(graceSeconds).toNanos();
    if (c != null && c.getLifecycle() != null && c.getLifecycle().getPreStop() != null) {
      String err =
          ctx.hooks()
              .run(
                  c.getLifecycle().getPreStop(),
                  c,
                  containerId,
                  podIp(pod, null),
                  Duration.ofSeconds(graceSeconds));
      if (err != null) {
        ctx.events().warning(pod, name, "FailedPreStopHook", "PreStopHook failed: " + err);
      }
    }
    long left = Math.max(0, Duration.ofNanos(deadline - System.nanoTime()).toSeconds());
    ctx.probers().stopped(uid, name);
    ctx.runtime().stopContainer(containerId, left);
  }

  /** Stops every running container (in parallel, each with its preStop hook) and the sandbox. */
  private void killPod(Pod pod, RuntimePodState rt, long graceSeconds) {
    List<Thread> stops = new ArrayList<>();
    for (ContainerStatus s : rt.containers()) {
      if (s.state() == ContainerState.CONTAINER_RUNNING) {
        String name = s.metadata().name();
        ctx.events().normal(pod, name, "Killing", "Stopping container " + name);
        stops.add(Thread.ofVirtual().start(() -> stopContainer(pod, name, s.id(), graceSeconds)));
      }
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (var sb :
        ctx.runtime()
            .listPodSandbox(
                new PodSandboxFilter(
                    null, PodSandboxState.SANDBOX_READY, Map.of(PodLabels.POD_UID, uid)))) {
      ctx.runtime().stopPodSandbox(sb.id());
    }
  }

  /** Graceful deletion: stop everything within the grace period, report, then release the pod. */
  private void terminate(Pod pod) {
    long grace =
        pod.getMetadata().getDeletionGracePeriodSeconds() != null
            ? pod.getMetadata().getDeletionGracePeriodSeconds()
            : graceSeconds(pod);
    killPod(pod, snapshot(), grace);
    writeStatus(pod, snapshot(), true, null, null);
    try {
      ctx.client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    terminated = true;
  }

  private void cleanup() {
    ctx.probers().removed(uid);
    var runtime = ctx.runtime();
    for (var sb :
        runtime.listPodSandbox(new PodSandboxFilter(null, null, Map.of(PodLabels.POD_UID, uid)))) {
      runtime.stopPodSandbox(sb.id());
      runtime.removePodSandbox(sb.id());
    }
    ctx.cgroups().remove(uid);
    ctx.volumes().teardown(uid);
    PodLogDirectories.remove(ctx.config().podLogDir(), uid);
    ctx.status().forget(uid);
  }

  private void writeStatus(
      Pod pod, RuntimePodState rt, boolean terminating, String reason, String message) {
    var probers = ctx.probers();
    PodStatus status =
        PodStatusComputer.compute(
            pod,
            rt,
            new PodStatusContext(
                waiting,
                probers.readiness(uid),
                probers.startup(uid),
                terminating,
                ctx.config().nodeIp(),
                Instant.now()));
    if (reason != null) {
      status.setPhase("Failed");
      status.setReason(reason);
      status.setMessage(message);
    }
    ctx.status().set(pod, status);
  }

  /** Admitted and not finished: it counts against the node's resources. */
  boolean active() {
    Pod p = desired;
    return admitted && !removed && p != null && !isTerminal(p);
  }

  Pod pod() {
    return desired;
  }

  private boolean isTerminal(Pod pod) {
    PodStatus last = ctx.status().last(uid);
    PodStatus s = last != null ? last : pod.getStatus();
    return s != null && ("Succeeded".equals(s.getPhase()) || "Failed".equals(s.getPhase()));
  }

  private static boolean deadlineExceeded(Pod pod, Instant now) {
    Long ads = pod.getSpec().getActiveDeadlineSeconds();
    if (ads == null || pod.getStatus() == null || pod.getStatus().getStartTime() == null) {
      return false;
    }
    return now.isAfter(Instant.parse(pod.getStatus().getStartTime()).plusSeconds(ads));
  }

  private String podIp(Pod pod, RuntimePodState rt) {
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      return ctx.config().nodeIp();
    }
    if (rt != null
        && rt.sandbox() != null
        && rt.sandbox().ip() != null
        && !rt.sandbox().ip().isEmpty()) {
      return rt.sandbox().ip();
    }
    return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
  }

  static long graceSeconds(Pod pod) {
    Long g = pod.getSpec().getTerminationGracePeriodSeconds();
    return g == null ? DEFAULT_GRACE_SECONDS : g;
  }

  private static Container spec(Pod pod, String name) {
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    for (Container c : pod.getSpec().getInitContainers()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
