package dev.skiff.kubelet.pod;

import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cgroups.PodCgroups;
import dev.skiff.runtime.cgroups.QosClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a pod's cgroup ({@code /kubepods/<qos>/pod<uid>}, named by the kubelet in the sandbox
 * config) once its sandboxes are gone, as upstream's pod container manager does.
 */
public final class PodCgroupCleaner {
  private static final Logger LOG = LoggerFactory.getLogger(PodCgroupCleaner.class);

  private final Cgroups cgroups;

  public PodCgroupCleaner(Cgroups cgroups) {
    this.cgroups = cgroups;
  }

  public void remove(String podUid) {
    for (QosClass qos : QosClass.values()) {
      try {
        cgroups.remove(PodCgroups.podCgroup(qos, podUid));
      } catch (RuntimeException e) {
        LOG.warn("could not remove the cgroup of pod {}: {}", podUid, e.toString());
      }
    }
  }
}
