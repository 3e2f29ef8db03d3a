package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.ReplicaSetManager.available;
import static dev.skiff.controllers.deployment.ReplicaSetManager.replicas;
import static dev.skiff.controllers.deployment.ReplicaSetManager.sumSpec;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a rolling update: scale the new ReplicaSet up as far as {@code maxSurge} allows, then
 * scale old ones down as far as {@code maxUnavailable} allows, unhealthy pods first.
 */
final class RollingUpdate {
  private final ReplicaSetManager replicaSets;

  RollingUpdate(ReplicaSetManager replicaSets) {
    this.replicaSets = replicaSets;
  }

  /** How many replicas the new ReplicaSet should have now. */
  static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    int desired = Fenceposts.replicas(d);
    if (!Fenceposts.isRolling(d)) {
      return desired;
    }
    int current = newRS == null ? 0 : replicas(newRS);
    int maxTotal = desired + Fenceposts.maxSurge(d);
    int podCount = sumSpec(all);
    if (podCount >= maxTotal) {
      return current;
    }
    int scaleUp = Math.min(maxTotal - podCount, desired - current);
    return current + scaleUp;
  }

  /** Runs one step; true when something was scaled (the caller then only syncs status). */
  boolean step(Deployment d, ReplicaSetManager.Split split) {
    ReplicaSet newRS = split.newRS();
    List<ReplicaSet> all = split.all();
    if (newRS != null && reconcileNew(d, all, newRS)) {
      return true;
    }
    return reconcileOld(d, all, ReplicaSetManager.active(split.oldRSs()), newRS);
  }

  private boolean reconcileNew(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    int desired = Fenceposts.replicas(d);
    if (replicas(newRS) == desired) {
      return false;
    }
    if (replicas(newRS) > desired) {
      replicaSets.scale(newRS, desired, d);
      return true;
    }
    int target = newReplicaSetReplicas(d, all, newRS);
    if (target == replicas(newRS)) {
      return false;
    }
    replicaSets.scale(newRS, target, d);
    return true;
  }

  private boolean reconcileOld(
      Deployment d, List<ReplicaSet> all, List<ReplicaSet> oldRSs, ReplicaSet newRS) {
    if (sumSpec(oldRSs) == 0) {
      return false;
    }
    int minAvailable = Fenceposts.replicas(d) - Fenceposts.maxUnavailable(d);
    int newUnavailable = newRS == null ? 0 : replicas(newRS) - available(newRS);
    int maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    List<ReplicaSet> old = new ArrayList<>(oldRSs);
    old.sort(ReplicaSetManager.OLDEST_FIRST);
    int cleaned = cleanupUnhealthy(old, d, maxScaledDown);
    List<ReplicaSet> after = new ArrayList<>(old);
    if (newRS != null) {
      after.add(newRS);
    }
    int scaledDown = scaleDownOld(after, old, d);
    return cleaned + scaledDown > 0;
  }

  /** Scales down old ReplicaSets whose pods are not available; {@code old} gets the results. */
  private int cleanupUnhealthy(List<ReplicaSet> old, Deployment d, int maxCleanup) {
    int total = 0;
    for (int i = 0; i < old.size() && total < maxCleanup; i++) {
      ReplicaSet rs = old.get(i);
      int unhealthy = replicas(rs) - available(rs);
      if (replicas(rs) == 0 || unhealthy <= 0) {
        continue;
      }
      int count = Math.min(maxCleanup - total, unhealthy);
      old.set(i, replicaSets.scale(rs, replicas(rs) - count, d));
      total += count;
    }
    return total;
  }

  /** Scales down old ReplicaSets, oldest first, while enough pods stay available. */
  private int scaleDownOld(List<ReplicaSet> all, List<ReplicaSet> old, Deployment d) {
    int minAvailable = Fenceposts.replicas(d) - Fenceposts.maxUnavailable(d);
    // A ReplicaSet scaled down a moment ago may still report the pods it is deleting as
    // available; counting them would scale the old ones down again, below minAvailable.
    int availableCount = 0;
    for (ReplicaSet rs : all) {
      availableCount += Math.min(available(rs), replicas(rs));
    }
    if (availableCount <= minAvailable) {
      return 0;
    }
    int budget = availableCount - minAvailable;
    int total = 0;
    for (ReplicaSet rs : old) {
      if (total >= budget) {
        break;
      }
      if (replicas(rs) == 0) {
        continue;
      }
      int count = Math.min(replicas(rs), budget - total);
      replicaSets.scale(rs, replicas(rs) - count, d);
      total += count;
    }
    return total;
  }
}
