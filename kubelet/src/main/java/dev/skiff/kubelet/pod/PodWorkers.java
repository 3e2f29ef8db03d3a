package dev.skiff.kubelet.pod;

import dev.skiff.runtime.PodSandboxFilter;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker (a virtual thread) per pod bound to this node, fed by the pod informer; removes the
 * sandboxes of pods the API server no longer has.
 */
public final class PodWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

  private final PodWorkerContext ctx;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, Thread> threads = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public PodWorkers(PodWorkerContext ctx) {
    this.ctx = ctx;
  }

  /** The pod was added or changed. */
  public void update(Pod pod) {
    if (closed) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    workers
        .computeIfAbsent(
            uid,
            u -> {
              PodWorker w = new PodWorker(ctx, pod, () -> finished(u), () -> activePods(u));
              threads.put(
                  u, Thread.ofVirtual().name("pod-" + pod.getMetadata().getName()).start(w));
              return w;
            })
        .update(pod);
  }

  /** The pods admitted and still running or to run, but {@code except}. */
  private java.util.List<Pod> activePods(String except) {
    return workers.entrySet().stream()
        .filter(e -> !e.getKey().equals(except) && e.getValue().active())
        .map(e -> e.getValue().pod())
        .toList();
  }

  /** The pod is gone from the API server. */
  public void delete(Pod pod) {
    PodWorker w = workers.get(pod.getMetadata().getUid());
    if (w != null) {
      w.remove();
    }
  }

  /** Makes the pod's worker sync now (a probe verdict changed). */
  public void wake(String uid) {
    PodWorker w = workers.get(uid);
    if (w != null) {
      w.wakeUp();
    }
  }

  private void finished(String uid) {
    workers.remove(uid);
    threads.remove(uid);
  }

  /** Removes sandboxes (and so containers) of pods not in {@code known}: left from deleted pods. */
  public void removeOrphans(Set<String> known) {
    for (var sb : ctx.runtime().listPodSandbox(PodSandboxFilter.ALL)) {
      String uid = sb.labels().get(PodLabels.POD_UID);
      if (uid != null && !known.contains(uid) && !workers.containsKey(uid)) {
        LOG.info("removing sandbox {} of deleted pod {}", sb.id(), uid);
        ctx.runtime().stopPodSandbox(sb.id());
        ctx.runtime().removePodSandbox(sb.id());
        ctx.cgroups().remove(uid);
        ctx.volumes().teardown(uid);
        PodLogDirectories.remove(ctx.config().podLogDir(), uid);
      }
    }
  }

  public int size() {
    return workers.size();
  }

  /** Stops the workers, leaving containers running, as a kubelet restart does. */
  @Override
  public void close() {
    closed = true;
    workers.values().forEach(PodWorker::stop);
    for (Thread t : threads.values()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
