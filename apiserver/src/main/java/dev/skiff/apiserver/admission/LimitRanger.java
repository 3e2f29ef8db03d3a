package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Applies the namespace's LimitRanges: container defaults on pod creation, then min, max and
 * maxLimitRequestRatio for containers, pods and PersistentVolumeClaims. Pods are checked only on
 * create, as upstream, since their resources cannot change afterwards.
 */
final class LimitRanger implements AdmissionPlugin {
  static final String ANNOTATION = "kubernetes.io/limit-ranger";

  private final ClusterObjects objects;
  private final ResourceType limitRanges;

  LimitRanger(ClusterObjects objects) {
    this.objects = objects;
    this.limitRanges = objects.type("", "v1", "limitranges");
  }

  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.isCore("pods") || !a.isCreate()) {
      return;
    }
    List<String> set = new ArrayList<>();
    for (JsonNode item : items("Container", a.namespace())) {
      ObjectNode defaults = LimitRangeItems.defaults(item);
      ObjectNode defaultRequests = LimitRangeItems.defaultRequests(item);
      for (String list : List.of("initContainers", "containers")) {
        String prefix = list.equals("containers") ? "container" : "init container";
        for (JsonNode c : object.path("spec").path(list)) {
          ObjectNode resources = ((ObjectNode) c).withObjectProperty("resources");
          // Pod defaulting, which upstream runs before admission: limits stand for requests.
          ObjectNode limits = resources.withObjectProperty("limits");
          ObjectNode requests = resources.withObjectProperty("requests");
          limits.properties().forEach(e -> requests.putIfAbsent(e.getKey(), e.getValue()));
          String name = c.path("name").asText();
          note(set, merge(requests, defaultRequests), "request for " + prefix + " " + name);
          note(set, merge(limits, defaults), "limit for " + prefix + " " + name);
          if (requests.isEmpty()) {
            resources.remove("requests");
          }
          if (limits.isEmpty()) {
            resources.remove("limits");
          }
        }
      }
    }
    if (!set.isEmpty()) {
      Json.metadata(object)
          .withObjectProperty("annotations")
          .put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", set));
    }
  }

  private static List<String> merge(ObjectNode target, ObjectNode defaults) {
    List<String> added = new ArrayList<>();
    defaults
        .properties()
        .forEach(
            e -> {
              if (!target.has(e.getKey())) {
                // A copy: the limit range may be the watch cache's own.
                target.set(e.getKey(), e.getValue().deepCopy());
                added.add(e.getKey());
              }
            });
    return added;
  }

  private static void note(List<String> set, List<String> resources, String what) {
    if (!resources.isEmpty()) {
      set.add(String.join(", ", new TreeSet<>(resources)) + " " + what);
    }
  }

  @Override
  public void validate(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    List<String> errors = new ArrayList<>();
    if (a.isCore("pods") && a.isCreate()) {
      for (JsonNode item : items("Container", a.namespace())) {
        for (String list : List.of("containers", "initContainers")) {
          for (JsonNode c : object.path("spec").path(list)) {
            JsonNode r = c.path("resources");
            LimitRangeItems.check(
                item, "Container", r.path("requests"), r.path("limits"), true, errors);
          }
        }
      }
      for (JsonNode item : items("Pod", a.namespace())) {
        LimitRangeItems.check(
            item,
            "Pod",
            LimitRangeItems.toNode(ObjectUsage.effective(object, false)),
            LimitRangeItems.toNode(ObjectUsage.effective(object, true)),
            true,
            errors);
      }
    } else if (a.isCore("persistentvolumeclaims")) {
      for (JsonNode item : items("PersistentVolumeClaim", a.namespace())) {
        JsonNode requests = object.path("spec").path("resources").path("requests");
        LimitRangeItems.check(
            item, "PersistentVolumeClaim", requests, Json.object(), false, errors);
      }
    }
    if (!errors.isEmpty()) {
      String why = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
      throw ApiException.forbidden(a.type(), a.name(), why);
    }
  }

  private List<JsonNode> items(String type, String namespace) {
    List<JsonNode> out = new ArrayList<>();
    for (ObjectNode lr : objects.listed(limitRanges, namespace)) {
      for (JsonNode item : lr.path("spec").path("limits")) {
        if (item.path("type").asText().equals(type)) {
          out.add(item);
        }
      }
    }
    return out;
  }
}
