package dev.skiff.runtime;

import java.util.Map;

/** Narrows {@code listContainers}; null fields match everything (CRI {@code ContainerFilter}). */
public record ContainerFilter(
    String id, ContainerState state, String podSandboxId, Map<String, String> labelSelector) {
  public static final ContainerFilter ALL = new ContainerFilter(null, null, null, null);

  public boolean matches(Container c) {
    return (id == null || c.id().startsWith(id))
        && (state == null || state == c.state())
        && (podSandboxId == null || c.podSandboxId().startsWith(podSandboxId))
        && (labelSelector == null
            || labelSelector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(c.labels().get(e.getKey()))));
  }
}
