package dev.skiff.api.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscaler between autoscaling/v1 and v2. The v1 shape only has a CPU utilization
 * target; what it cannot hold (other metrics, behavior, conditions) rides in the annotations
 * upstream uses for the same purpose, so a v2 object read and written back through v1 loses
 * nothing.
 */
final class HpaConversion {

  private HpaConversion() {}

  static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
  static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
  static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
  static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";

  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode toV1(ObjectNode v2) {
    ObjectNode out = v2.deepCopy();
    out.put("apiVersion", "autoscaling/v1");
    ObjectNode spec = out.withObject("spec");
    ArrayNode others = JSON.createArrayNode();
    JsonNode metrics = spec.remove("metrics");
    if (metrics instanceof ArrayNode list) {
      for (JsonNode m : list) {
        if (spec.has("targetCPUUtilizationPercentage") || !isCpuUtilization(m, "target")) {
          others.add(m);
        } else {
          spec.set("targetCPUUtilizationPercentage", m.at("/resource/target/averageUtilization"));
        }
      }
    }
    stash(out, METRICS, others.isEmpty() ? null : others);
    stash(out, BEHAVIOR, spec.remove("behavior"));
    if (out.get("status") instanceof ObjectNode status) {
      ArrayNode otherCurrent = JSON.createArrayNode();
      if (status.remove("currentMetrics") instanceof ArrayNode current) {
        for (JsonNode m : current) {
          if (status.has("currentCPUUtilizationPercentage") || !isCpuUtilization(m, "current")) {
            otherCurrent.add(m);
          } else {
            status.set(
                "currentCPUUtilizationPercentage", m.at("/resource/current/averageUtilization"));
          }
        }
      }
      stash(out, CURRENT_METRICS, otherCurrent.isEmpty() ? null : otherCurrent);
      // autoscaling/v1 always serializes currentReplicas, v2 omits it when zero.
      if (!status.has("currentReplicas")) {
        status.put("currentReplicas", 0);
      }
      stash(out, CONDITIONS, status.remove("conditions"));
    }
    return out;
  }

  static ObjectNode toV2(ObjectNode v1) {
    ObjectNode out = v1.deepCopy();
    out.put("apiVersion", "autoscaling/v2");
    ObjectNode spec = out.withObject("spec");
    ArrayNode metrics = JSON.createArrayNode();
    JsonNode target = spec.remove("targetCPUUtilizationPercentage");
    if (target != null && !target.isNull()) {
      metrics.add(cpuMetric("target", target));
    }
    if (unstash(out, METRICS) instanceof ArrayNode others) {
      metrics.addAll(others);
    }
    if (!metrics.isEmpty()) {
      spec.set("metrics", metrics);
    }
    JsonNode behavior = unstash(out, BEHAVIOR);
    if (behavior != null) {
      spec.set("behavior", behavior);
    }
    JsonNode otherCurrent = unstash(out, CURRENT_METRICS);
    JsonNode conditions = unstash(out, CONDITIONS);
    if (out.get("status") instanceof ObjectNode status) {
      ArrayNode current = JSON.createArrayNode();
      JsonNode cpu = status.remove("currentCPUUtilizationPercentage");
      if (cpu != null && !cpu.isNull()) {
        current.add(cpuMetric("current", cpu));
      }
      if (otherCurrent instanceof ArrayNode list) {
        current.addAll(list);
      }
      if (!current.isEmpty()) {
        status.set("currentMetrics", current);
      }
      if (conditions != null) {
        status.set("conditions", conditions);
      }
      if (status.path("currentReplicas").asInt(0) == 0) {
        status.remove("currentReplicas");
      }
    }
    return out;
  }

  private static boolean isCpuUtilization(JsonNode metric, String field) {
    return metric.path("type").asText().equals("Resource")
        && metric.at("/resource/name").asText().equals("cpu")
        && metric.at("/resource/" + field + "/averageUtilization").isNumber()
        && (field.equals("current")
            || metric.at("/resource/target/type").asText().equals("Utilization"));
  }

  private static ObjectNode cpuMetric(String field, JsonNode percent) {
    ObjectNode m = JSON.createObjectNode();
    m.put("type", "Resource");
    ObjectNode resource = m.putObject("resource");
    resource.put("name", "cpu");
    ObjectNode value = resource.putObject(field);
    if (field.equals("target")) {
      value.put("type", "Utilization");
    }
    value.set("averageUtilization", percent);
    return m;
  }

  private static void stash(ObjectNode obj, String annotation, JsonNode value) {
    if (value == null || value.isNull()) {
      return;
    }
    try {
      obj.withObject("metadata")
          .withObject("annotations")
          .put(annotation, JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static JsonNode unstash(ObjectNode obj, String annotation) {
    if (!(obj.path("metadata").get("annotations") instanceof ObjectNode annotations)) {
      return null;
    }
    JsonNode text = annotations.remove(annotation);
    if (annotations.isEmpty()) {
      ((ObjectNode) obj.get("metadata")).remove("annotations");
    }
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text.asText());
    } catch (JsonProcessingException e) {
      // A hand-edited annotation that is not JSON is kept as the user wrote it.
      annotations.set(annotation, text);
      obj.withObject("metadata").set("annotations", annotations);
      return null;
    }
  }
}
