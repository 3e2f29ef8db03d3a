package dev.skiff.runtime;

import java.util.Map;

/** Narrows {@code listPodSandbox}; null fields match everything (CRI {@code PodSandboxFilter}). */
public record PodSandboxFilter(
    String id, PodSandboxState state, Map<String, String> labelSelector) {
  public static final PodSandboxFilter ALL = new PodSandboxFilter(null, null, null);

  public boolean matches(String sandboxId, PodSandboxState s, Map<String, String> labels) {
    return (id == null || sandboxId.startsWith(id))
        && (state == null || state == s)
        && (labelSelector == null
            || labelSelector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey()))));
  }
}
