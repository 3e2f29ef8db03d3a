package dev.skiff.controllers.daemonset;

import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a DaemonSet's rolling update, as upstream plans it. Without surge, old pods are
 * deleted (unavailable ones at once, available ones while fewer than {@code maxUnavailable} nodes
 * are unavailable) and the manage pass recreates them from the new template. With {@code maxSurge},
 * a new pod starts beside the old one on up to {@code maxSurge} nodes, and the old one goes once
 * the new one is available.
 */
final class DaemonSetRollout {
  static final String HASH_LABEL = "controller-revision-hash";

  /** Pods to delete and nodes to start a new pod on. */
  record Plan(List<Pod> delete, List<String> create) {}

  private final DaemonSet set;
  private final String hash;
  private final Instant now;

  DaemonSetRollout(DaemonSet set, String hash, Instant now) {
    this.set = set;
    this.hash = hash;
    this.now = now;
  }

  static boolean isRolling(DaemonSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    return strategy == null || !"OnDelete".equals(strategy.getType());
  }

  /** {maxSurge, maxUnavailable} for {@code desired} nodes, percentages rounded up, as upstream. */
  static int[] limits(DaemonSet set, int desired) {
    var strategy = set.getSpec().getUpdateStrategy();
    var rolling = strategy == null ? null : strategy.getRollingUpdate();
    int surge = scaled(rolling == null ? null : rolling.getMaxSurge(), 0, desired);
    int unavailable = scaled(rolling == null ? null : rolling.getMaxUnavailable(), 1, desired);
    if (desired > 0 && surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  private static int scaled(IntOrString value, int fallback, int total) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal();
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    return (int) (((long) percent * total + 99) / 100);
  }

  String hash() {
    return hash;
  }

  boolean isNew(Pod pod) {
    return hash.equals(pod.getMetadata().getLabels().get(HASH_LABEL));
  }

  boolean available(Pod pod) {
    int minReady =
        set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    return Pods.isAvailable(pod, minReady, now);
  }

  /** {@code byNode}: the live (not terminating) daemon pods on each node that should run one. */
  Plan plan(Map<String, List<Pod>> byNode, int desired) {
    int[] limits = limits(set, desired);
    return limits[0] == 0 ? withoutSurge(byNode, limits[1]) : withSurge(byNode, limits[0]);
  }

  private Plan withoutSurge(Map<String, List<Pod>> byNode, int maxUnavailable) {
    int unavailable = 0;
    List<Pod> replaceNow = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    for (List<Pod> pods : byNode.values()) {
      Pod newPod = single(pods, true);
      Pod oldPod = single(pods, false);
      if (newPod == INVALID || oldPod == INVALID || (newPod == null) == (oldPod == null)) {
        // Being created, or two pods that the manage pass sorts out: unavailable for now.
        unavailable++;
      } else if (newPod != null) {
        if (!available(newPod)) {
          unavailable++;
        }
      } else if (!available(oldPod)) {
        replaceNow.add(oldPod);
      } else if (unavailable < maxUnavailable) {
        candidates.add(oldPod);
      }
    }
    int room = Math.clamp(maxUnavailable - unavailable, 0, candidates.size());
    List<Pod> delete = new ArrayList<>(replaceNow);
    delete.addAll(candidates.subList(0, room));
    return new Plan(delete, List.of());
  }

  private Plan withSurge(Map<String, List<Pod>> byNode, int maxSurge) {
    int surging = 0;
    List<String> replaceNow = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<Pod> delete = new ArrayList<>();
    for (var entry : byNode.entrySet()) {
      Pod newPod = single(entry.getValue(), true);
      Pod oldPod = single(entry.getValue(), false);
      if (newPod == INVALID || oldPod == INVALID || oldPod == null) {
        continue;
      }
      if (newPod == null) {
        if (!available(oldPod)) {
          replaceNow.add(entry.getKey());
        } else if (surging < maxSurge) {
          candidates.add(entry.getKey());
        }
      } else if (!available(newPod)) {
        surging++;
      } else {
        delete.add(oldPod);
      }
    }
    int room = Math.clamp(maxSurge - surging, 0, candidates.size());
    List<String> create = new ArrayList<>(replaceNow);
    create.addAll(candidates.subList(0, room));
    return new Plan(delete, create);
  }

  private static final Pod INVALID = new Pod();

  /** The one new (or old) pod among {@code pods}, null if none, INVALID if several. */
  private Pod single(List<Pod> pods, boolean wantNew) {
    Pod found = null;
    for (Pod pod : pods) {
      if (isNew(pod) != wantNew) {
        continue;
      }
      if (found != null) {
        return INVALID;
      }
      found = pod;
    }
    return found;
  }
}
