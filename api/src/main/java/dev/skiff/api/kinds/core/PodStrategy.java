package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.JsonDiff;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pods: upstream's pod defaults, validation, the spec-is-immutable update rule and printer. */
public final class PodStrategy extends DefaultStrategy {

  /** Upstream's list of what an update may change, quoted in its Forbidden message. */
  static final String UPDATABLE =
      String.join(
          ",",
          "`spec.containers[*].image`",
          "`spec.initContainers[*].image`",
          "`spec.activeDeadlineSeconds`",
          "`spec.tolerations` (only additions to existing tolerations)",
          "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously"
              + " negative)");

  public PodStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, false);
  }

  @Override
  public void applyDefaults(ObjectNode pod) {
    ObjectNode spec = pod.withObject("spec");
    PodSpecDefaults.apply(spec);
    if (!spec.hasNonNull("enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
    // A container that states only limits requests exactly its limits.
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        if (c.path("resources").get("limits") instanceof ObjectNode limits && !limits.isEmpty()) {
          ObjectNode requests = ((ObjectNode) c.get("resources")).withObject("requests");
          limits
              .properties()
              .forEach(
                  e -> {
                    if (!requests.has(e.getKey())) {
                      requests.set(e.getKey(), e.getValue());
                    }
                  });
        }
      }
    }
  }

  @Override
  public void prepareForCreate(ObjectNode pod) {
    // The QoS class needs the defaulted requests; defaulting is idempotent, so either hook order
    // works.
    applyDefaults(pod);
    ObjectNode spec = pod.withObject("spec");
    // What upstream's ServiceAccount and Priority admission plugins fill in.
    if (spec.path("serviceAccountName").asText("").isEmpty()) {
      spec.put("serviceAccountName", spec.path("serviceAccount").asText("default"));
    }
    spec.put("serviceAccount", spec.get("serviceAccountName").asText());
    if (!spec.hasNonNull("priority")) {
      spec.put("priority", 0);
    }
    PodSpecDefaults.putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", QosClass.of(spec));
    if (!spec.path("schedulingGates").isEmpty()) {
      ObjectNode gated = status.putArray("conditions").addObject();
      gated.put("type", "PodScheduled");
      gated.put("status", "False");
      gated.putNull("lastProbeTime");
      gated.put("lastTransitionTime", pod.path("metadata").path("creationTimestamp").asText(null));
      gated.put("reason", "SchedulingGated");
      gated.put("message", "Scheduling is blocked due to non-empty scheduling gates");
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
    keepStatus(pod, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pod) {
    JsonNode spec = pod.path("spec");
    List<FieldError> errs = new ArrayList<>(PodSpecValidation.validate(spec, "spec"));
    JsonNode init = spec.path("initContainers");
    for (int i = 0; i < init.size(); i++) {
      String policy = init.get(i).path("restartPolicy").asText("");
      if (!policy.isEmpty() && !policy.equals("Always")) {
        errs.add(
            FieldError.notSupported(
                "spec.initContainers[" + i + "].restartPolicy", policy, List.of("Always")));
      }
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode pod, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode oldSpec = old.path("spec");
    ObjectNode munged = ((ObjectNode) pod.path("spec")).deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      JsonNode oldList = oldSpec.path(list);
      if (munged.get(list) instanceof ArrayNode newList) {
        for (int i = 0; i < Math.min(newList.size(), oldList.size()); i++) {
          if (newList.get(i) instanceof ObjectNode c) {
            c.set("image", oldList.get(i).get("image"));
          }
        }
      }
    }
    JsonNode deadline = pod.path("spec").path("activeDeadlineSeconds");
    JsonNode oldDeadline = oldSpec.path("activeDeadlineSeconds");
    if (deadline.isNumber()) {
      if (oldDeadline.isNumber() && oldDeadline.asLong() < deadline.asLong()) {
        errs.add(
            FieldError.invalid(
                "spec.activeDeadlineSeconds",
                deadline.asLong(),
                "must be less than or equal to previous value"));
        return errs;
      }
    } else if (oldDeadline.isNumber()) {
      errs.add(
          new FieldError(
              FieldError.Type.INVALID,
              "spec.activeDeadlineSeconds",
              new dev.skiff.api.validation.GoSyntax("null"),
              "must not update from a positive integer to nil value"));
    }
    copy(oldSpec, munged, "activeDeadlineSeconds");
    if (onlyAdded(oldSpec.path("tolerations"), munged.path("tolerations"))) {
      copy(oldSpec, munged, "tolerations");
    }
    JsonNode grace = munged.path("terminationGracePeriodSeconds");
    if (oldSpec.path("terminationGracePeriodSeconds").asLong(0) < 0 && grace.asLong() == 1) {
      copy(oldSpec, munged, "terminationGracePeriodSeconds");
    }
    Set<String> oldGates = new HashSet<>();
    oldSpec.path("schedulingGates").forEach(g -> oldGates.add(g.path("name").asText()));
    boolean gatesOnlyRemoved = true;
    for (JsonNode g : munged.path("schedulingGates")) {
      if (!oldGates.contains(g.path("name").asText())) {
        gatesOnlyRemoved = false;
        errs.add(
            FieldError.forbidden(
                "spec.schedulingGates",
                "only deletion is allowed, but found new scheduling gate '"
                    + g.path("name").asText()
                    + "'"));
      }
    }
    if (gatesOnlyRemoved) {
      copy(oldSpec, munged, "schedulingGates");
    }
    if (!munged.equals(oldSpec)) {
      errs.add(
          FieldError.forbidden(
              "spec",
              "pod updates may not change fields other than "
                  + UPDATABLE
                  + "\n"
                  + JsonDiff.describe(oldSpec, munged)));
    }
    return errs;
  }

  /** True when every old toleration is still there (new ones may be added). */
  private static boolean onlyAdded(JsonNode oldList, JsonNode newList) {
    List<JsonNode> remaining = new ArrayList<>();
    newList.forEach(remaining::add);
    for (JsonNode t : oldList) {
      if (!remaining.remove(t)) {
        return false;
      }
    }
    return true;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    } else {
      to.remove(field);
    }
  }

  @Override
  public List<TableColumn> tableColumns() {
    return PodPrinter.COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pod) {
    return PodPrinter.cells(pod);
  }
}
