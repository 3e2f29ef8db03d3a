package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.kinds.core.PodSpecDefaults;
import dev.skiff.api.kinds.core.PodTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * StatefulSets: apps/v1 defaults (OrderedReady, RollingUpdate partition 0, PVC retention Retain),
 * and upstream's rule that an update may change only a few spec fields.
 */
public final class StatefulSetStrategy extends WorkloadStrategy {

  private static final List<String> POD_MANAGEMENT = List.of("OrderedReady", "Parallel");
  private static final List<String> UPDATE_TYPES = List.of("OnDelete", "RollingUpdate");
  private static final List<String> RETENTION = List.of("Retain", "Delete");

  /** Spec fields an update may change; the rest are fixed at creation. */
  private static final Set<String> MUTABLE =
      Set.of(
          "replicas",
          "ordinals",
          "template",
          "updateStrategy",
          "persistentVolumeClaimRetentionPolicy",
          "minReadySeconds");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Ready", "string", "Number of the pod with ready state"),
          TableColumn.AGE,
          PodTemplates.CONTAINERS,
          PodTemplates.IMAGES);

  public StatefulSetStrategy() {
    super("statefulset");
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    super.applyDefaults(obj);
    ObjectNode spec = obj.withObject("spec");
    PodSpecDefaults.putIfAbsent(spec, "replicas", 1);
    PodSpecDefaults.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode rolling = defaultedRollingUpdate(spec.withObject("updateStrategy"));
    if (rolling != null) {
      PodSpecDefaults.putIfAbsent(rolling, "partition", 0);
    }
    PodSpecDefaults.putIfAbsent(spec, "revisionHistoryLimit", 10);
    ObjectNode retention = spec.withObject("persistentVolumeClaimRetentionPolicy");
    PodSpecDefaults.putIfAbsent(retention, "whenDeleted", "Retain");
    PodSpecDefaults.putIfAbsent(retention, "whenScaled", "Retain");
    for (JsonNode claim : spec.path("volumeClaimTemplates")) {
      if (claim instanceof ObjectNode c) {
        c.put("apiVersion", "v1");
        c.put("kind", "PersistentVolumeClaim");
        ObjectNode claimSpec = c.withObject("spec");
        PodSpecDefaults.putIfAbsent(claimSpec, "volumeMode", "Filesystem");
        if (!c.withObject("status").hasNonNull("phase")) {
          c.withObject("status").put("phase", "Pending");
        }
      }
    }
  }

  @Override
  List<FieldError> validateWorkloadSpec(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    String pmp = spec.path("podManagementPolicy").asText("");
    if (!POD_MANAGEMENT.contains(pmp)) {
      errs.add(FieldError.notSupported("spec.podManagementPolicy", pmp, POD_MANAGEMENT));
    }
    String type = spec.path("updateStrategy").path("type").asText("");
    if (!UPDATE_TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.updateStrategy.type", type, UPDATE_TYPES));
    }
    if (type.equals("OnDelete") && spec.path("updateStrategy").hasNonNull("rollingUpdate")) {
      errs.add(
          FieldError.invalid(
              "spec.updateStrategy.rollingUpdate",
              new dev.skiff.api.validation.GoSyntax(
                  spec.path("updateStrategy").path("rollingUpdate").toString()),
              "only allowed for updateStrategy 'RollingUpdate'"));
    }
    JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
    for (String f : List.of("whenDeleted", "whenScaled")) {
      String v = retention.path(f).asText("");
      if (!v.isEmpty() && !RETENTION.contains(v)) {
        errs.add(
            FieldError.notSupported(
                "spec.persistentVolumeClaimRetentionPolicy." + f, v, RETENTION));
      }
    }
    return errs;
  }

  @Override
  String kindLabel() {
    return "StatefulSet";
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode obj, ObjectNode old) {
    ObjectNode spec = ((ObjectNode) obj.path("spec")).deepCopy();
    ObjectNode oldSpec = ((ObjectNode) old.path("spec")).deepCopy();
    MUTABLE.forEach(spec::remove);
    MUTABLE.forEach(oldSpec::remove);
    if (!spec.equals(oldSpec)) {
      return List.of(
          FieldError.forbidden(
              "spec",
              "updates to statefulset spec for fields other than 'replicas', 'ordinals',"
                  + " 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and"
                  + " 'minReadySeconds' are forbidden"));
    }
    return List.of();
  }

  @Override
  String[] zeroStatusCounters() {
    return new String[] {"availableReplicas", "replicas"};
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    return List.of(
        Printing.name(obj),
        obj.path("status").path("readyReplicas").asInt() + "/" + spec.path("replicas").asInt(),
        Printing.age(obj),
        PodTemplates.containerNames(spec.path("template")),
        PodTemplates.images(spec.path("template")));
  }
}
