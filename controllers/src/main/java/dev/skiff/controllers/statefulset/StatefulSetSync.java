package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass of a StatefulSet towards its spec, in upstream's order: replace failed pods and create
 * missing ones (lowest ordinal first), delete pods beyond {@code replicas} (highest first), then
 * roll pods not at the update revision, highest ordinal first, down to {@code partition}.
 */
final class StatefulSetSync {
  private final StatefulSet set;
  private final TreeMap<Integer, Pod> byOrdinal;
  private final StatefulPodControl podControl;
  private final int start;
  private final int replicas;
  private final boolean parallel;
  private final boolean rolling;
  private final int partition;

  StatefulSetSync(StatefulSet set, TreeMap<Integer, Pod> byOrdinal, StatefulPodControl podControl) {
    this.set = set;
    this.byOrdinal = byOrdinal;
    this.podControl = podControl;
    var spec = set.getSpec();
    this.replicas = spec.getReplicas() == null ? 1 : spec.getReplicas();
    this.start =
        spec.getOrdinals() == null || spec.getOrdinals().getStart() == null
            ? 0
            : spec.getOrdinals().getStart();
    this.parallel = "Parallel".equals(spec.getPodManagementPolicy());
    var strategy = spec.getUpdateStrategy();
    this.rolling = strategy == null || !"OnDelete".equals(strategy.getType());
    this.partition =
        strategy == null
                || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null
            ? 0
            : strategy.getRollingUpdate().getPartition();
  }

  void run(String currentRevision, PodTemplateSpec currentTemplate, String updateRevision) {
    for (int ordinal = start; ordinal < start + replicas; ordinal++) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod != null
          && Pods.isTerminated(pod)
          && pod.getMetadata().getDeletionTimestamp() == null) {
        podControl.delete(set, pod);
        if (!parallel) {
          return;
        }
        continue;
      }
      if (pod == null) {
        // Below the partition a replaced pod keeps the current revision.
        if (rolling && ordinal - start < partition) {
          podControl.create(set, currentTemplate, ordinal, currentRevision);
        } else {
          podControl.create(set, set.getSpec().getTemplate(), ordinal, updateRevision);
        }
        if (!parallel) {
          return;
        }
        continue;
      }
      if (!parallel && !healthy(pod)) {
        return;
      }
    }
    for (Map.Entry<Integer, Pod> entry : byOrdinal.descendingMap().entrySet()) {
      int ordinal = entry.getKey();
      if (ordinal >= start && ordinal < start + replicas) {
        continue;
      }
      Pod pod = entry.getValue();
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        podControl.delete(set, pod);
      }
      if (!parallel) {
        return;
      }
    }
    if (rolling) {
      rollingUpdate(updateRevision);
    }
  }

  /**
   * Deletes outdated pods from the highest ordinal down to the partition while fewer than {@code
   * maxUnavailable} pods in that range are unavailable; their replacements come from the update
   * revision.
   */
  private void rollingUpdate(String updateRevision) {
    int budget = StatefulSetController.maxUnavailable(set, replicas);
    int unavailable = 0;
    for (int ordinal = start + partition; ordinal < start + replicas; ordinal++) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod == null || !healthy(pod)) {
        unavailable++;
      }
    }
    for (int ordinal = start + replicas - 1; ordinal >= start + partition; ordinal--) {
      if (unavailable >= budget) {
        return;
      }
      Pod pod = byOrdinal.get(ordinal);
      if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (!updateRevision.equals(
          pod.getMetadata().getLabels().get(StatefulPodControl.REVISION_LABEL))) {
        podControl.delete(set, pod);
        if (healthy(pod)) {
          unavailable++;
        }
      }
    }
  }

  private static boolean healthy(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && Pods.isReady(pod)
        && "Running".equals(Pods.phase(pod));
  }
}
