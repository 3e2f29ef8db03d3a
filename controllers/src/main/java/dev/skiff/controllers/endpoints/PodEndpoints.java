package dev.skiff.controllers.endpoints;

import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a pod appears behind a Service, shared by the Endpoints and EndpointSlice controllers: which
 * pods belong, on which ports (named target ports resolved in each pod), and whether ready.
 */
public final class PodEndpoints {
  private PodEndpoints() {}

  /** A service port as resolved in one pod. */
  public record ResolvedPort(String name, int port, String protocol, String appProtocol) {}

  /**
   * Whether the pod is listed at all: it needs an IP and must not have finished; a pod being
   * deleted is listed only where terminating endpoints are wanted.
   */
  public static boolean shouldInclude(Pod pod, boolean includeTerminating) {
    if (pod.getStatus() == null
        || pod.getStatus().getPodIP() == null
        || pod.getStatus().getPodIP().isEmpty()) {
      return false;
    }
    if (Pods.isTerminated(pod)) {
      return false;
    }
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean isHeadless(Service service) {
    return "None".equals(service.getSpec().getClusterIP());
  }

  public static boolean publishNotReady(Service service) {
    return Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
  }

  /** The service's ports in this pod; a named target port the pod does not declare is left out. */
  public static List<ResolvedPort> ports(Service service, Pod pod) {
    List<ResolvedPort> resolved = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPorts()) {
      String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      targetPort(port, protocol, pod)
          .ifPresent(
              number ->
                  resolved.add(
                      new ResolvedPort(port.getName(), number, protocol, port.getAppProtocol())));
    }
    return resolved;
  }

  private static Optional<Integer> targetPort(ServicePort port, String protocol, Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null) {
      return Optional.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    String name = target.getStrVal();
    if (name == null || name.isEmpty()) {
      return Optional.of(port.getPort());
    }
    if (name.chars().allMatch(Character::isDigit)) {
      return Optional.of(Integer.parseInt(name));
    }
    for (Container container : pod.getSpec().getContainers()) {
      for (ContainerPort declared : container.getPorts()) {
        String declaredProtocol = declared.getProtocol() == null ? "TCP" : declared.getProtocol();
        if (name.equals(declared.getName()) && protocol.equals(declaredProtocol)) {
          return Optional.of(declared.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }

  /** The pod's hostname in the Service's DNS, set only when its subdomain names the Service. */
  public static String hostname(Service service, Pod pod) {
    String hostname = pod.getSpec().getHostname();
    if (hostname == null
        || hostname.isEmpty()
        || !service.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
      return null;
    }
    return hostname;
  }
}
