package dev.skiff.kubelet.pod;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's ephemeral containers ({@code kubectl debug}) as the kubelet runs them: containers with
 * the same fields, started once and never restarted, optionally in a target container's PID
 * namespace.
 */
public final class EphemeralContainerSpecs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EphemeralContainerSpecs() {}

  /** The ephemeral containers as plain containers, in spec order. */
  public static List<Container> of(Pod pod) {
    List<Container> out = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getEphemeralContainers() == null) {
      return out;
    }
    for (EphemeralContainer e : pod.getSpec().getEphemeralContainers()) {
      Container c = JSON.convertValue(e, Container.class);
      // An ephemeral container's one extra field has no place in a container.
      c.getAdditionalProperties().remove("targetContainerName");
      out.add(c);
    }
    return out;
  }

  /** The container whose processes the named ephemeral container should see, or null. */
  public static String target(Pod pod, String name) {
    if (pod.getSpec() == null || pod.getSpec().getEphemeralContainers() == null) {
      return null;
    }
    for (EphemeralContainer e : pod.getSpec().getEphemeralContainers()) {
      if (e.getName().equals(name)) {
        String t = e.getTargetContainerName();
        return t == null || t.isEmpty() ? null : t;
      }
    }
    return null;
  }
}
