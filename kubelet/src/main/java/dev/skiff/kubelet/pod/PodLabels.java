package dev.skiff.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels the kubelet puts on sandboxes and containers to find them again (also after a
 * restart), named as upstream's.
 */
public final class PodLabels {
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
  public static final String CONTAINER_INIT = "io.kubernetes.container.init";

  private PodLabels() {}

  public static Map<String, String> sandbox(Pod pod) {
    Map<String, String> labels = new HashMap<>();
    if (pod.getMetadata().getLabels() != null) {
      labels.putAll(pod.getMetadata().getLabels());
    }
    labels.put(POD_NAME, pod.getMetadata().getName());
    labels.put(POD_NAMESPACE, pod.getMetadata().getNamespace());
    labels.put(POD_UID, pod.getMetadata().getUid());
    return labels;
  }

  public static Map<String, String> container(Pod pod, Container c, boolean init) {
    Map<String, String> labels = new HashMap<>();
    labels.put(POD_NAME, pod.getMetadata().getName());
    labels.put(POD_NAMESPACE, pod.getMetadata().getNamespace());
    labels.put(POD_UID, pod.getMetadata().getUid());
    labels.put(CONTAINER_NAME, c.getName());
    labels.put(CONTAINER_HASH, ContainerHash.of(c));
    if (init) {
      labels.put(CONTAINER_INIT, "true");
    }
    return labels;
  }
}
