package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.ReplicaSetManager.replicas;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a change of {@code replicas} to a Deployment that may be mid-rollout: with one active
 * ReplicaSet it is simply resized; with several, the change is spread over them in proportion to
 * their sizes, so a rollout in progress keeps its shape.
 */
final class ProportionalScaler {
  private final ReplicaSetManager replicaSets;

  ProportionalScaler(ReplicaSetManager replicaSets) {
    this.replicaSets = replicaSets;
  }

  /** True when any active ReplicaSet was sized for a different replica count. */
  static boolean isScalingEvent(Deployment d, List<ReplicaSet> rss) {
    for (ReplicaSet rs : ReplicaSetManager.active(rss)) {
      Integer desired =
          ReplicaSetAnnotations.intAnnotation(rs, ReplicaSetAnnotations.DESIRED_REPLICAS);
      if (desired != null && desired != Fenceposts.replicas(d)) {
        return true;
      }
    }
    return false;
  }

  void scale(Deployment d, ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    int desired = Fenceposts.replicas(d);
    ReplicaSet only = activeOrLatest(newRS, oldRSs);
    if (only != null) {
      if (replicas(only) != desired) {
        replicaSets.scale(only, desired, d);
      }
      return;
    }
    if (isSaturated(d, newRS)) {
      for (ReplicaSet old : ReplicaSetManager.active(oldRSs)) {
        replicaSets.scale(old, 0, d);
      }
      return;
    }
    if (!Fenceposts.isRolling(d)) {
      return;
    }
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    if (newRS != null) {
      all.add(newRS);
    }
    all = new ArrayList<>(ReplicaSetManager.active(all));
    int allowed = desired > 0 ? desired + Fenceposts.maxSurge(d) : 0;
    int toAdd = allowed - ReplicaSetManager.sumSpec(all);
    Comparator<ReplicaSet> bySize = Comparator.comparingInt((ReplicaSet rs) -> -replicas(rs));
    Comparator<ReplicaSet> byAge = ReplicaSetManager.OLDEST_FIRST;
    all.sort(toAdd > 0 ? bySize.thenComparing(byAge.reversed()) : bySize.thenComparing(byAge));

    Map<String, Integer> sizes = new HashMap<>();
    int added = 0;
    for (ReplicaSet rs : all) {
      int share = toAdd == 0 ? 0 : proportion(rs, d, toAdd, added);
      sizes.put(rs.getMetadata().getName(), replicas(rs) + share);
      added += share;
    }
    int leftover = toAdd - added;
    if (leftover != 0 && !all.isEmpty()) {
      String first = all.getFirst().getMetadata().getName();
      sizes.put(first, Math.max(0, sizes.get(first) + leftover));
    }
    for (ReplicaSet rs : all) {
      replicaSets.scale(rs, sizes.get(rs.getMetadata().getName()), d);
    }
  }

  private static ReplicaSet activeOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    if (newRS != null) {
      all.add(newRS);
    }
    List<ReplicaSet> active = ReplicaSetManager.active(all);
    if (active.size() == 1) {
      return active.getFirst();
    }
    if (active.isEmpty()) {
      if (newRS != null) {
        return newRS;
      }
      List<ReplicaSet> sorted = new ArrayList<>(oldRSs);
      sorted.sort(ReplicaSetManager.OLDEST_FIRST.reversed());
      return sorted.isEmpty() ? null : sorted.getFirst();
    }
    return null;
  }

  private static boolean isSaturated(Deployment d, ReplicaSet newRS) {
    if (newRS == null) {
      return false;
    }
    Integer desired =
        ReplicaSetAnnotations.intAnnotation(newRS, ReplicaSetAnnotations.DESIRED_REPLICAS);
    return desired != null
        && desired == Fenceposts.replicas(d)
        && replicas(newRS) == Fenceposts.replicas(d)
        && ReplicaSetManager.available(newRS) == Fenceposts.replicas(d);
  }

  private static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (replicas(rs) == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private static int fraction(ReplicaSet rs, Deployment d) {
    int desired = Fenceposts.replicas(d);
    if (desired == 0) {
      return -replicas(rs);
    }
    int deploymentReplicas = desired + Fenceposts.maxSurge(d);
    Integer annotated = ReplicaSetAnnotations.intAnnotation(rs, ReplicaSetAnnotations.MAX_REPLICAS);
    if (annotated == null) {
      annotated =
          d.getStatus() == null || d.getStatus().getReplicas() == null
              ? 0
              : d.getStatus().getReplicas();
    }
    if (annotated == 0) {
      return 0;
    }
    double size = (double) replicas(rs) * deploymentReplicas / annotated;
    return (int) Math.round(size) - replicas(rs);
  }
}
