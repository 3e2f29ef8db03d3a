package dev.skiff.apiserver.allocation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.errors.ApiException;
import java.util.Set;

/**
 * The {@code healthCheckNodePort} of a LoadBalancer Service with {@code externalTrafficPolicy:
 * Local}: taken from the NodePort range, the chosen one or the next free one.
 */
final class HealthCheckNodePort {
  private HealthCheckNodePort() {}

  /**
   * Fills or reserves the port in {@code spec} and records it in {@code taken}; with {@code dryRun}
   * a chosen port is only checked. Upstream reports a failure here as an internal error, not a
   * field error, and so does this.
   */
  static void allocate(
      StoredRange<NodePortAllocator> ports, ObjectNode spec, boolean dryRun, Set<Integer> taken) {
    int requested = spec.path("healthCheckNodePort").asInt(0);
    try {
      if (requested != 0) {
        if (dryRun) {
          if (ports.read(a -> a.has(requested))) {
            throw new AllocationException(
                AllocationException.Reason.ALLOCATED, "provided port is already allocated");
          }
          return;
        }
        ports.update(
            a -> {
              a.allocate(requested);
              return null;
            });
        taken.add(requested);
      } else if (!dryRun) {
        int port = ports.update(NodePortAllocator::allocateNext);
        taken.add(port);
        spec.put("healthCheckNodePort", port);
      }
    } catch (AllocationException e) {
      throw ApiException.internal(
          requested != 0
              ? "failed to allocate requested HealthCheck NodePort "
                  + requested
                  + ": "
                  + e.getMessage()
              : "failed to allocate a HealthCheck NodePort 0: " + e.getMessage());
    }
  }
}
