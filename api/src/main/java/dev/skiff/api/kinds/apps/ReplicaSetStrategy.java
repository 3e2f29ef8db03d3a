package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.core.PodSpecDefaults;
import java.util.List;

/** ReplicaSets: one replica by default, the shared workload rules, DESIRED/CURRENT/READY. */
public final class ReplicaSetStrategy extends WorkloadStrategy {

  private static final List<TableColumn> COLUMNS =
      columnsWithSelector(
          TableColumn.of("Desired", "integer", "Number of desired pods."),
          TableColumn.of("Current", "integer", "Number of actual replicas."),
          TableColumn.of("Ready", "integer", "The number of ready replicas for this replica set."));

  public ReplicaSetStrategy() {
    // Upstream's ReplicaSet validation words its empty-selector error as the Deployment's.
    super("deployment");
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    super.applyDefaults(obj);
    PodSpecDefaults.putIfAbsent(obj.withObject("spec"), "replicas", 1);
  }

  @Override
  List<FieldError> validateWorkloadSpec(JsonNode spec) {
    return List.of();
  }

  @Override
  String[] zeroStatusCounters() {
    return new String[] {"replicas"};
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
        obj.path("spec").path("replicas").asLong(),
        status.path("replicas").asLong(),
        status.path("readyReplicas").asLong());
  }
}
