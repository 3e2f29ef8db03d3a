package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.quantity.Quantity;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What one object charges against a quota, per quota resource name, as upstream's evaluators. */
final class ObjectUsage {
  private static final Set<String> REQUEST_ALIASES = Set.of("cpu", "memory", "ephemeral-storage");
  private static final String STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

  private ObjectUsage() {}

  /** The object's usage; every object counts toward {@code count/<resource>}. */
  static Map<String, Quantity> of(ResourceType t, JsonNode obj) {
    Map<String, Quantity> usage = new TreeMap<>();
    String count = t.group().isEmpty() ? t.plural() : t.plural() + "." + t.group();
    usage.put("count/" + count, Quantity.of(1));
    if (!t.group().isEmpty()) {
      return usage;
    }
    switch (t.plural()) {
      case "pods" -> pod(obj, usage);
      case "services" -> service(obj, usage);
      case "persistentvolumeclaims" -> claim(obj, usage);
      case "configmaps", "secrets", "replicationcontrollers", "resourcequotas" ->
          usage.put(t.plural(), Quantity.of(1));
      default -> {}
    }
    return usage;
  }

  private static void pod(JsonNode pod, Map<String, Quantity> usage) {
    String phase = pod.path("status").path("phase").asText();
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      // Terminated pods no longer use anything.
      usage.clear();
      return;
    }
    usage.put("pods", Quantity.of(1));
    for (boolean limits : new boolean[] {false, true}) {
      effective(pod, limits)
          .forEach(
              (name, q) -> {
                usage.put((limits ? "limits." : "requests.") + name, q);
                if (!limits && REQUEST_ALIASES.contains(name)) {
                  usage.put(name, q);
                }
              });
    }
  }

  /**
   * The pod's requests or limits: the larger of the sum over its containers and any single init
   * container, plus the pod overhead. A limit without a request stands for the request.
   */
  static Map<String, Quantity> effective(JsonNode pod, boolean limits) {
    Map<String, Quantity> total = new TreeMap<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      container(c, limits).forEach((name, q) -> total.merge(name, q, Quantity::add));
    }
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      container(c, limits)
          .forEach((name, q) -> total.merge(name, q, (a, b) -> a.compareTo(b) >= 0 ? a : b));
    }
    pod.path("spec")
        .path("overhead")
        .properties()
        .forEach(
            e -> total.merge(e.getKey(), Quantity.parse(e.getValue().asText()), Quantity::add));
    return total;
  }

  private static Map<String, Quantity> container(JsonNode c, boolean limits) {
    Map<String, Quantity> out = new TreeMap<>();
    JsonNode resources = c.path("resources");
    resources
        .path(limits ? "limits" : "requests")
        .properties()
        .forEach(e -> out.put(e.getKey(), Quantity.parse(e.getValue().asText())));
    if (!limits) {
      resources
          .path("limits")
          .properties()
          .forEach(e -> out.putIfAbsent(e.getKey(), Quantity.parse(e.getValue().asText())));
    }
    return out;
  }

  private static void service(JsonNode svc, Map<String, Quantity> usage) {
    usage.put("services", Quantity.of(1));
    String type = svc.path("spec").path("type").asText("ClusterIP");
    if (type.equals("LoadBalancer")) {
      usage.put("services.loadbalancers", Quantity.of(1));
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      usage.put("services.nodeports", Quantity.of(svc.path("spec").path("ports").size()));
    }
  }

  private static void claim(JsonNode pvc, Map<String, Quantity> usage) {
    usage.put("persistentvolumeclaims", Quantity.of(1));
    String storageClass = pvc.path("spec").path("storageClassName").asText("");
    JsonNode requested = pvc.path("spec").path("resources").path("requests").path("storage");
    if (!storageClass.isEmpty()) {
      usage.put(storageClass + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims", Quantity.of(1));
    }
    if (requested.isTextual() || requested.isNumber()) {
      Quantity q = Quantity.parse(requested.asText());
      usage.put("requests.storage", q);
      if (!storageClass.isEmpty()) {
        usage.put(storageClass + STORAGE_CLASS_SUFFIX + "requests.storage", q);
      }
    }
  }
}
