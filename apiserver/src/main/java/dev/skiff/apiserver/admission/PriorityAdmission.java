package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.registry.ObjectMeta;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a new pod's {@code priorityClassName} to {@code spec.priority} and its preemption policy
 * (the global default class, or priority 0, when none is named), and keeps PriorityClasses to one
 * global default.
 */
final class PriorityAdmission implements AdmissionPlugin {
  static final String DEFAULT_PREEMPTION = "PreemptLowerPriority";
  // The classes every cluster has, even before they are stored.
  static final Map<String, Long> SYSTEM_CLASSES =
      Map.of("system-node-critical", 2000001000L, "system-cluster-critical", 2000000000L);

  private final ClusterObjects objects;
  private final ResourceType classes;

  PriorityAdmission(ClusterObjects objects) {
    this.objects = objects;
    this.classes = objects.type("scheduling.k8s.io", "v1", "priorityclasses");
  }

  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.isCore("pods") || !a.isCreate()) {
      return;
    }
    ObjectNode spec = object.withObjectProperty("spec");
    String name = spec.path("priorityClassName").asText("");
    long priority;
    String preemption;
    if (name.isEmpty()) {
      Optional<ObjectNode> global = globalDefault();
      if (global.isEmpty()) {
        priority = 0;
        preemption = DEFAULT_PREEMPTION;
      } else {
        spec.put("priorityClassName", ObjectMeta.name(global.get()));
        priority = global.get().path("value").asLong();
        preemption = global.get().path("preemptionPolicy").asText(DEFAULT_PREEMPTION);
      }
    } else {
      Optional<ObjectNode> pc = objects.found(classes, "", name);
      if (pc.isPresent()) {
        priority = pc.get().path("value").asLong();
        preemption = pc.get().path("preemptionPolicy").asText(DEFAULT_PREEMPTION);
      } else if (SYSTEM_CLASSES.containsKey(name)) {
        priority = SYSTEM_CLASSES.get(name);
        preemption = DEFAULT_PREEMPTION;
      } else {
        throw ApiException.forbidden(
            a.type(), a.name(), "no PriorityClass with name " + name + " was found");
      }
    }
    JsonNode given = spec.get("priority");
    if (given != null && !given.isNull() && given.asLong() != priority) {
      throw ApiException.forbidden(
          a.type(),
          a.name(),
          "the integer value of priority ("
              + given.asLong()
              + ") must not be provided in pod spec; priority admission controller computed "
              + priority
              + " from the given PriorityClass name");
    }
    JsonNode givenPolicy = spec.get("preemptionPolicy");
    if (givenPolicy != null && !givenPolicy.isNull() && !givenPolicy.asText().equals(preemption)) {
      throw ApiException.forbidden(
          a.type(),
          a.name(),
          "the string value of PreemptionPolicy ("
              + givenPolicy.asText()
              + ") must not be provided in pod spec; priority admission controller computed "
              + preemption
              + " from the given PriorityClass name");
    }
    spec.put("priority", priority);
    spec.put("preemptionPolicy", preemption);
  }

  @Override
  public void validate(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.type().plural().equals("priorityclasses")
        || !a.type().group().equals("scheduling.k8s.io")
        || !object.path("globalDefault").asBoolean(false)) {
      return;
    }
    Optional<ObjectNode> other =
        objects.list(classes, "").stream()
            .filter(pc -> pc.path("globalDefault").asBoolean(false))
            .filter(pc -> !ObjectMeta.name(pc).equals(a.name()))
            .findFirst();
    if (other.isPresent()) {
      throw ApiException.forbidden(
          a.type(),
          a.name(),
          "PriorityClass "
              + ObjectMeta.name(other.get())
              + " is already marked as default. Only one default can exist");
    }
  }

  /** The global default class; the lowest value wins if several claim it, as upstream. */
  private Optional<ObjectNode> globalDefault() {
    return objects.listed(classes, "").stream()
        .filter(pc -> pc.path("globalDefault").asBoolean(false))
        .min(Comparator.comparingLong(pc -> pc.path("value").asLong()));
  }
}
