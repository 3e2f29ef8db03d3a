package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Upstream's {@code NamespaceTerminating} status cause: the one refusal of new content that is for
 * good, so controllers drop the work instead of retrying it, as upstream's do. Any other failure, a
 * 404 for a namespace just created included, is retried.
 */
public final class NamespaceTerminatingCause {
  public static final String REASON = "NamespaceTerminating";

  private NamespaceTerminatingCause() {}

  /** Whether {@code e} refused content because its namespace is being terminated. */
  public static boolean isIn(KubernetesClientException e) {
    if (e.getCode() != 403 || e.getStatus() == null || e.getStatus().getDetails() == null) {
      return false;
    }
    for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
      if (REASON.equals(cause.getReason())) {
        return true;
      }
    }
    return false;
  }
}
