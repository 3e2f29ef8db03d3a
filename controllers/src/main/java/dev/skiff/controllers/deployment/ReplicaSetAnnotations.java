package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Map;
import java.util.Set;

/**
 * The annotations through which a Deployment keeps its history on its ReplicaSets: the revision
 * ({@code kubectl rollout history}), earlier revisions of a reused ReplicaSet, and the replica
 * counts the ReplicaSet was sized for (needed for proportional scaling).
 */
final class ReplicaSetAnnotations {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  /** Upstream keeps revision-history under this many characters. */
  static final int MAX_HISTORY_CHARS = 2000;

  private static final Set<String> NOT_COPIED =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          REVISION,
          REVISION_HISTORY,
          DESIRED_REPLICAS,
          MAX_REPLICAS,
          "deprecated.deployment.rollback.to");

  private ReplicaSetAnnotations() {}

  /** The revision recorded on an object, 0 when absent or malformed. */
  static long revision(Map<String, String> annotations) {
    String value = annotations == null ? null : annotations.get(REVISION);
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long revision(ReplicaSet rs) {
    return revision(rs.getMetadata().getAnnotations());
  }

  /**
   * Copies the Deployment's own annotations (such as {@code kubernetes.io/change-cause}) and moves
   * the ReplicaSet to {@code newRevision}, remembering its earlier revision when it is reused by a
   * rollback. True when anything changed.
   */
  static boolean setNewReplicaSetAnnotations(
      Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    boolean changed = false;
    for (var entry : d.getMetadata().getAnnotations().entrySet()) {
      if (!NOT_COPIED.contains(entry.getKey())
          && !entry.getValue().equals(annotations.get(entry.getKey()))) {
        annotations.put(entry.getKey(), entry.getValue());
        changed = true;
      }
    }
    String oldRevision = annotations.get(REVISION);
    long old = revision(annotations);
    if (old < newRevision) {
      annotations.put(REVISION, Long.toString(newRevision));
      changed = true;
      if (oldRevision != null && !oldRevision.isEmpty() && exists) {
        String history = annotations.get(REVISION_HISTORY);
        String updated =
            history == null || history.isEmpty() ? oldRevision : history + "," + oldRevision;
        while (updated.length() > MAX_HISTORY_CHARS && updated.contains(",")) {
          updated = updated.substring(updated.indexOf(',') + 1);
        }
        annotations.put(REVISION_HISTORY, updated);
      }
    }
    if (!exists
        && setReplicas(
            rs, Fenceposts.replicas(d), Fenceposts.replicas(d) + Fenceposts.maxSurge(d))) {
      changed = true;
    }
    return changed;
  }

  /** Records the sizes a ReplicaSet was scaled for. True when they changed. */
  static boolean setReplicas(ReplicaSet rs, int desired, int max) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    String d = Integer.toString(desired);
    String m = Integer.toString(max);
    if (d.equals(annotations.get(DESIRED_REPLICAS)) && m.equals(annotations.get(MAX_REPLICAS))) {
      return false;
    }
    annotations.put(DESIRED_REPLICAS, d);
    annotations.put(MAX_REPLICAS, m);
    return true;
  }

  static Integer intAnnotation(ReplicaSet rs, String key) {
    String value = rs.getMetadata().getAnnotations().get(key);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
