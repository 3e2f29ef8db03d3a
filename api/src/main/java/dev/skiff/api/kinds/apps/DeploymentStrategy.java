package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.core.PodSpecDefaults;
import dev.skiff.api.validation.IntOrPercent;
import java.util.ArrayList;
import java.util.List;

/** Deployments: apps/v1 defaults (1 replica, RollingUpdate 25%/25%, ...), rules and printer. */
public final class DeploymentStrategy extends WorkloadStrategy {

  private static final List<String> STRATEGY_TYPES = List.of("Recreate", "RollingUpdate");

  private static final List<TableColumn> COLUMNS =
      columnsWithSelector(
          TableColumn.of("Ready", "string", "Number of the pod with ready state"),
          TableColumn.of(
              "Up-to-date",
              "string",
              "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
          TableColumn.of(
              "Available",
              "string",
              "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."));

  public DeploymentStrategy() {
    super("deployment");
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    super.applyDefaults(obj);
    ObjectNode spec = obj.withObject("spec");
    PodSpecDefaults.putIfAbsent(spec, "replicas", 1);
    ObjectNode rolling = defaultedRollingUpdate(spec.withObject("strategy"));
    if (rolling != null) {
      PodSpecDefaults.putIfAbsent(rolling, "maxUnavailable", "25%");
      PodSpecDefaults.putIfAbsent(rolling, "maxSurge", "25%");
    }
    PodSpecDefaults.putIfAbsent(spec, "revisionHistoryLimit", 10);
    PodSpecDefaults.putIfAbsent(spec, "progressDeadlineSeconds", 600);
  }

  @Override
  List<FieldError> validateWorkloadSpec(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode strategy = spec.path("strategy");
    String type = strategy.path("type").asText("");
    if (!STRATEGY_TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.strategy.type", type, STRATEGY_TYPES));
    }
    JsonNode rolling = strategy.get("rollingUpdate");
    if (type.equals("Recreate") && rolling != null && !rolling.isNull()) {
      errs.add(
          FieldError.forbidden(
              "spec.strategy.rollingUpdate",
              "may not be specified when strategy `type` is 'Recreate'"));
    } else if (rolling != null && rolling.isObject()) {
      String p = "spec.strategy.rollingUpdate.";
      errs.addAll(validateRollingBounds(rolling, p));
      if (IntOrPercent.isZero(rolling.get("maxUnavailable"))
          && IntOrPercent.isZero(rolling.get("maxSurge"))) {
        errs.add(
            FieldError.invalid(
                p + "maxUnavailable",
                rolling.path("maxUnavailable").asText(),
                "may not be 0 when `maxSurge` is 0"));
      }
    }
    JsonNode deadline = spec.get("progressDeadlineSeconds");
    if (deadline != null && deadline.isNumber()) {
      errs.addAll(IntOrPercent.nonNegative(deadline, "spec.progressDeadlineSeconds"));
      if (deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
        errs.add(
            FieldError.invalid(
                "spec.progressDeadlineSeconds",
                deadline.asLong(),
                "must be greater than minReadySeconds"));
      }
    }
    return errs;
  }

  @Override
  String[] zeroStatusCounters() {
    return new String[] {};
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
        status.path("readyReplicas").asInt() + "/" + obj.path("spec").path("replicas").asInt(),
        status.path("updatedReplicas").asLong(),
        status.path("availableReplicas").asLong());
  }
}
