package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.QueueSortPlugin;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/** A pending pod with its queue bookkeeping: attempts, timestamps, and who rejected it last. */
public final class QueuedPodInfo implements QueueSortPlugin.QueuedPod {
  private volatile PodInfo podInfo;
  private final long initialAttemptNanos;
  private long timestampNanos;
  private int attempts;
  private Set<String> unschedulablePlugins = Set.of();

  QueuedPodInfo(PodInfo podInfo, long nowNanos) {
    this.podInfo = podInfo;
    this.initialAttemptNanos = nowNanos;
    this.timestampNanos = nowNanos;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  void setPodInfo(PodInfo podInfo) {
    this.podInfo = podInfo;
  }

  @Override
  public Pod pod() {
    return podInfo.pod();
  }

  @Override
  public long enqueuedAtNanos() {
    return initialAttemptNanos;
  }

  /** When the pod was last added or moved, the start of its backoff. */
  long timestampNanos() {
    return timestampNanos;
  }

  void setTimestampNanos(long nanos) {
    timestampNanos = nanos;
  }

  /** Scheduling attempts so far, including the one in progress. */
  public int attempts() {
    return attempts;
  }

  void incrementAttempts() {
    attempts++;
  }

  /**
   * Plugins that rejected the pod in its last attempt; empty when no plugin did (any event may
   * help).
   */
  public Set<String> unschedulablePlugins() {
    return unschedulablePlugins;
  }

  public void setUnschedulablePlugins(Set<String> plugins) {
    unschedulablePlugins = Set.copyOf(plugins);
  }
}
