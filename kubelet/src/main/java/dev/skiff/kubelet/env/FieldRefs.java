package dev.skiff.kubelet.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/** Values of the downward API: pod fields ({@code fieldRef}) and container resources. */
public final class FieldRefs {
  private FieldRefs() {}

  /** The value of {@code fieldPath}; fails with the API's message for paths it does not know. */
  public static String value(Pod pod, String fieldPath, String podIp, String hostIp) {
    var m = pod.getMetadata();
    if (fieldPath.startsWith("metadata.labels['") && fieldPath.endsWith("']")) {
      String key = fieldPath.substring("metadata.labels['".length(), fieldPath.length() - 2);
      return m.getLabels() == null ? "" : m.getLabels().getOrDefault(key, "");
    }
    if (fieldPath.startsWith("metadata.annotations['") && fieldPath.endsWith("']")) {
      String key = fieldPath.substring("metadata.annotations['".length(), fieldPath.length() - 2);
      return m.getAnnotations() == null ? "" : m.getAnnotations().getOrDefault(key, "");
    }
    return switch (fieldPath) {
      case "metadata.name" -> m.getName();
      case "metadata.namespace" -> m.getNamespace();
      case "metadata.uid" -> m.getUid();
      case "metadata.labels" -> formatMap(m.getLabels());
      case "metadata.annotations" -> formatMap(m.getAnnotations());
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP" -> podIp == null ? "" : podIp;
      case "status.podIPs" -> podIp == null ? "" : podIp;
      case "status.hostIP", "status.hostIPs" -> hostIp;
      default -> throw new ConfigError("unsupported fieldPath: " + fieldPath);
    };
  }

  /** {@code key="value"} lines, sorted, as the downward API writes label and annotation files. */
  public static String formatMap(Map<String, String> map) {
    if (map == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (var e : new TreeMap<>(map).entrySet()) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
    }
    return b.toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /**
   * A container's request or limit in units of {@code divisor} (default 1), rounded up; an unset
   * one reads 0 (upstream substitutes the node's allocatable for an unset limit).
   */
  public static String resource(Pod pod, Container self, ResourceFieldSelector ref) {
    Container c = self;
    if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
      c =
          pod.getSpec().getContainers().stream()
              .filter(x -> x.getName().equals(ref.getContainerName()))
              .findFirst()
              .orElseThrow(
                  () -> new ConfigError("container " + ref.getContainerName() + " not found"));
    }
    String res = ref.getResource();
    var r = c.getResources();
    Quantity q = null;
    if (r != null) {
      if (res.startsWith("limits.") && r.getLimits() != null) {
        q = r.getLimits().get(res.substring("limits.".length()));
      } else if (res.startsWith("requests.") && r.getRequests() != null) {
        q = r.getRequests().get(res.substring("requests.".length()));
      }
    }
    if (q == null) {
      return "0";
    }
    BigDecimal divisor =
        ref.getDivisor() == null ? BigDecimal.ONE : ref.getDivisor().getNumericalAmount();
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    return q.getNumericalAmount().divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }
}
