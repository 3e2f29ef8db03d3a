package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data plugins share within one scheduling cycle of one pod, e.g. what PreFilter computed for
 * Filter. Preemption copies it to simulate removing pods without disturbing the real cycle.
 */
public final class CycleState {
  /** Per-cycle plugin data; copied when preemption forks the state. */
  public interface Data {
    Data copy();
  }

  private final Map<String, Data> data;
  private final Set<String> skipFilter;
  private final Set<String> skipScore;
  // The Filter plugins that run this cycle, fixed once PreFilter is done so the per-node loop
  // needs no lookups.
  private List<FilterPlugin> filters;
  private PodInfo podInfo;

  public CycleState() {
    data = new HashMap<>();
    skipFilter = new HashSet<>();
    skipScore = new HashSet<>();
  }

  private CycleState(CycleState other) {
    data = new HashMap<>();
    other.data.forEach((k, v) -> data.put(k, v.copy()));
    skipFilter = new HashSet<>(other.skipFilter);
    skipScore = new HashSet<>(other.skipScore);
    filters = other.filters;
    podInfo = other.podInfo;
  }

  public CycleState copy() {
    return new CycleState(this);
  }

  /** What plugins derive from the pod (requests, ports, affinity terms), computed once a cycle. */
  public PodInfo podInfo(Pod pod) {
    if (podInfo == null || podInfo.pod() != pod) {
      podInfo = new PodInfo(pod);
    }
    return podInfo;
  }

  public void setPodInfo(PodInfo podInfo) {
    this.podInfo = podInfo;
  }

  public void write(String key, Data value) {
    data.put(key, value);
  }

  /**
   * @throws IllegalStateException when nothing was written under the key, i.e. PreFilter or
   *     PreScore did not run
   */
  public <T extends Data> T read(String key, Class<T> type) {
    Data d = data.get(key);
    if (d == null) {
      throw new IllegalStateException("reading \"" + key + "\" from cycleState: not found");
    }
    return type.cast(d);
  }

  public <T extends Data> T readOrNull(String key, Class<T> type) {
    Data d = data.get(key);
    return d == null ? null : type.cast(d);
  }

  Set<String> skipFilterPlugins() {
    return skipFilter;
  }

  Set<String> skipScorePlugins() {
    return skipScore;
  }

  List<FilterPlugin> filters() {
    return filters;
  }

  void setFilters(List<FilterPlugin> filters) {
    this.filters = filters;
  }
}
