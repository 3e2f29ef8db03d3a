package dev.skiff.api.kinds.autoscaling;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerStrategyTest {

  private final HorizontalPodAutoscalerStrategy strategy = new HorizontalPodAutoscalerStrategy();

  private ObjectNode hpa(String extra) {
    ObjectNode h =
        obj(
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'scaleTargetRef':{'apiVersion':'apps/v1',"
                + "'kind':'Deployment','name':'web'},'maxReplicas':10"
                + extra
                + "}}");
    strategy.applyDefaults(h);
    return h;
  }

  @Test
  void defaultsToEightyPercentCpu() {
    ObjectNode h = hpa("");
    assertEquals(1, h.at("/spec/minReplicas").asInt());
    assertEquals(80, h.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
    assertFalse(h.path("spec").has("behavior"));
    assertEquals(List.of(), strategy.validate(h));
  }

  @Test
  void givenBehaviorIsCompleted() {
    ObjectNode h = hpa(",'behavior':{'scaleDown':{'stabilizationWindowSeconds':60}}");
    assertEquals(60, h.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt());
    assertEquals("Percent", h.at("/spec/behavior/scaleDown/policies/0/type").asText());
    assertEquals(0, h.at("/spec/behavior/scaleUp/stabilizationWindowSeconds").asInt());
    assertEquals("Pods", h.at("/spec/behavior/scaleUp/policies/0/type").asText());
    assertEquals(4, h.at("/spec/behavior/scaleUp/policies/0/value").asInt());
  }

  @Test
  void printsTargetsLikeKubectl() {
    ObjectNode h = hpa("");
    assertEquals(
        List.of("web", "Deployment/web", "cpu: <unknown>/80%", "1", 10L, 0L),
        strategy.tableCells(h).subList(0, 6));
    h.putObject("status")
        .put("currentReplicas", 2)
        .putArray("currentMetrics")
        .addObject()
        .put("type", "Resource")
        .putObject("resource")
        .put("name", "cpu")
        .putObject("current")
        .put("averageUtilization", 35);
    assertEquals("cpu: 35%/80%", strategy.tableCells(h).get(2));
  }

  @Test
  void maxMustCoverMin() {
    ObjectNode h = hpa(",'minReplicas':5");
    ((ObjectNode) h.get("spec")).put("maxReplicas", 3);
    assertEquals(
        List.of(
            "spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`"),
        strategy.validate(h).stream().map(FieldError::toString).toList());
  }
}
