package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationControllerStrategyTest {

  private final ReplicationControllerStrategy strategy = new ReplicationControllerStrategy();

  @Test
  void selectorAndLabelsDefaultToTemplateLabels() {
    ObjectNode rc =
        obj(
            "{'metadata':{'name':'rc','namespace':'d'},'spec':{'template':{'metadata':{'labels':{'app':'x'}},"
                + "'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    strategy.applyDefaults(rc);
    assertEquals("x", rc.at("/spec/selector/app").asText());
    assertEquals("x", rc.at("/metadata/labels/app").asText());
    assertEquals(1, rc.at("/spec/replicas").asInt());
    assertEquals(List.of(), strategy.validate(rc));
    assertEquals("app=x", strategy.tableCells(rc).get(7));
  }

  @Test
  void selectorMustMatchTemplate() {
    ObjectNode rc =
        obj(
            "{'metadata':{'name':'rc','namespace':'d'},'spec':{'selector':{'app':'y'},'template':{'metadata':{'labels':{'app':'x'}},"
                + "'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    strategy.applyDefaults(rc);
    assertEquals(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector`"
            + " does not match template `labels`",
        strategy.validate(rc).getFirst().toString());
  }
}
