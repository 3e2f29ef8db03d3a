package dev.skiff.kubelet.prober;

import dev.skiff.kubelet.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs the startup, liveness and readiness probes of running containers, one virtual thread per
 * container, and keeps their verdicts for the pod workers: readiness drives Ready, a failed
 * liveness or startup probe marks the container unhealthy so its worker restarts it.
 */
public final class ProberManager implements AutoCloseable {
  private final ProbeActions actions;
  private final EventRecorder events;
  private final Consumer<String> changed;
  private final Map<String, ContainerProber> probers = new ConcurrentHashMap<>();

  /**
   * @param changed told the pod uid whenever a verdict changes, so its worker syncs at once
   */
  public ProberManager(ProbeActions actions, EventRecorder events, Consumer<String> changed) {
    this.actions = actions;
    this.events = events;
    this.changed = changed;
  }

  private static String key(String uid, String container) {
    return uid + "/" + container;
  }

  /** A container (re)started: probe it from now on, with fresh verdicts. */
  public void started(Pod pod, Container c, String containerId, String podIp) {
    String uid = pod.getMetadata().getUid();
    ContainerProber old = probers.remove(key(uid, c.getName()));
    if (old != null) {
      old.close();
    }
    if (c.getStartupProbe() == null
        && c.getLivenessProbe() == null
        && c.getReadinessProbe() == null) {
      return;
    }
    ContainerProber p =
        new ContainerProber(pod, c, containerId, podIp, actions, events, () -> changed.accept(uid));
    probers.put(key(uid, c.getName()), p);
    p.start();
  }

  /** A container stopped: its probes stop (its readiness goes with it). */
  public void stopped(String uid, String container) {
    ContainerProber p = probers.remove(key(uid, container));
    if (p != null) {
      p.close();
    }
  }

  public void removed(String uid) {
    for (String k : Set.copyOf(probers.keySet())) {
      if (k.startsWith(uid + "/")) {
        stopped(uid, k.substring(uid.length() + 1));
      }
    }
  }

  public Map<String, Boolean> readiness(String uid) {
    Map<String, Boolean> out = new HashMap<>();
    probers.forEach(
        (k, p) -> {
          if (k.startsWith(uid + "/") && p.ready() != null) {
            out.put(p.containerName(), p.ready());
          }
        });
    return out;
  }

  public Map<String, Boolean> startup(String uid) {
    Map<String, Boolean> out = new HashMap<>();
    probers.forEach(
        (k, p) -> {
          if (k.startsWith(uid + "/") && p.hasStartupProbe()) {
            out.put(p.containerName(), p.startedUp());
          }
        });
    return out;
  }

  /** Containers whose liveness or startup probe failed: to be restarted. */
  public Set<String> unhealthy(String uid) {
    Set<String> out = new HashSet<>();
    probers.forEach(
        (k, p) -> {
          if (k.startsWith(uid + "/") && p.unhealthy()) {
            out.add(p.containerName());
          }
        });
    return out;
  }

  @Override
  public void close() {
    probers.values().forEach(ContainerProber::close);
    probers.clear();
  }

  /** Probe period and timeout as defaulted by the API (10 s and 1 s). */
  static Duration period(Probe p) {
    return Duration.ofSeconds(
        p.getPeriodSeconds() == null || p.getPeriodSeconds() <= 0 ? 10 : p.getPeriodSeconds());
  }

  static Duration timeout(Probe p) {
    return Duration.ofSeconds(
        p.getTimeoutSeconds() == null || p.getTimeoutSeconds() <= 0 ? 1 : p.getTimeoutSeconds());
  }
}
