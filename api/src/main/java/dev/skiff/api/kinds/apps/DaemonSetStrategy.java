package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.kinds.core.PodSpecDefaults;
import dev.skiff.api.validation.IntOrPercent;
import java.util.ArrayList;
import java.util.List;

/** DaemonSets: RollingUpdate (maxUnavailable 1, maxSurge 0) by default, and kubectl's columns. */
public final class DaemonSetStrategy extends WorkloadStrategy {

  private static final List<String> UPDATE_TYPES = List.of("OnDelete", "RollingUpdate");

  private static final List<TableColumn> COLUMNS =
      columnsWithSelector(
          TableColumn.of(
              "Desired",
              "integer",
              "The total number of nodes that should be running the daemon pod."),
          TableColumn.of(
              "Current", "integer", "The number of nodes that are running at least 1 daemon pod."),
          TableColumn.of(
              "Ready",
              "integer",
              "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
          TableColumn.of(
              "Up-to-date",
              "integer",
              "The total number of nodes that are running updated daemon pod"),
          TableColumn.of(
              "Available",
              "integer",
              "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
          TableColumn.of(
              "Node Selector",
              "string",
              "NodeSelector is a selector which must be true for the pod to fit on a node."));

  public DaemonSetStrategy() {
    super("daemonset");
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    super.applyDefaults(obj);
    ObjectNode spec = obj.withObject("spec");
    ObjectNode rolling = defaultedRollingUpdate(spec.withObject("updateStrategy"));
    if (rolling != null) {
      PodSpecDefaults.putIfAbsent(rolling, "maxUnavailable", 1);
      PodSpecDefaults.putIfAbsent(rolling, "maxSurge", 0);
    }
    PodSpecDefaults.putIfAbsent(spec, "revisionHistoryLimit", 10);
  }

  @Override
  List<FieldError> validateWorkloadSpec(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    String type = spec.path("updateStrategy").path("type").asText("");
    if (!UPDATE_TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.updateStrategy.type", type, UPDATE_TYPES));
    }
    JsonNode rolling = spec.path("updateStrategy").path("rollingUpdate");
    if (type.equals("RollingUpdate") && rolling.isObject()) {
      String p = "spec.updateStrategy.rollingUpdate.";
      errs.addAll(validateRollingBounds(rolling, p));
      errs.addAll(IntOrPercent.notMoreThan100Percent(rolling.get("maxSurge"), p + "maxSurge"));
      // A DaemonSet rolls either by surging or by taking nodes down, never both.
      boolean unavailable = !IntOrPercent.isZero(rolling.get("maxUnavailable"));
      boolean surge = !IntOrPercent.isZero(rolling.get("maxSurge"));
      if (unavailable && surge) {
        errs.add(
            FieldError.invalid(
                p + "maxSurge",
                rolling.path("maxSurge").asText(),
                "may not be set when maxUnavailable is non-zero"));
      } else if (!unavailable && !surge) {
        errs.add(FieldError.required(p + "maxUnavailable", "cannot be 0 when maxSurge is 0"));
      }
    }
    return errs;
  }

  @Override
  String kindLabel() {
    return "DaemonSet";
  }

  @Override
  String[] zeroStatusCounters() {
    return new String[] {
      "currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled", "numberReady"
    };
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode obj) {
    JsonNode status = obj.path("status");
    return cellsWithSelector(
        obj,
        status.path("desiredNumberScheduled").asLong(),
        status.path("currentNumberScheduled").asLong(),
        status.path("numberReady").asLong(),
        status.path("updatedNumberScheduled").asLong(),
        status.path("numberAvailable").asLong(),
        Printing.selector(obj.path("spec").path("template").path("spec").path("nodeSelector")));
  }
}
