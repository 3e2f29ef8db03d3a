package dev.skiff.api.kinds.apps;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetStrategyTest {

  private final StatefulSetStrategy strategy = new StatefulSetStrategy();

  private ObjectNode db() {
    ObjectNode s =
        obj(
            "{'metadata':{'name':'db','namespace':'d'},'spec':{'serviceName':'db','selector':{'matchLabels':{'app':'db'}},"
                + "'template':{'metadata':{'labels':{'app':'db'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    strategy.applyDefaults(s);
    return s;
  }

  @Test
  void defaultsAsUpstream() {
    ObjectNode s = db();
    assertEquals("OrderedReady", s.at("/spec/podManagementPolicy").asText());
    assertEquals("RollingUpdate", s.at("/spec/updateStrategy/type").asText());
    assertEquals(0, s.at("/spec/updateStrategy/rollingUpdate/partition").asInt());
    assertEquals("Retain", s.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText());
    assertEquals(List.of(), strategy.validate(s));
  }

  @Test
  void onlySomeSpecFieldsMayChange() {
    ObjectNode old = db();
    ObjectNode scaled = old.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 3);
    assertTrue(strategy.validateUpdate(scaled, old).isEmpty());
    ObjectNode renamed = old.deepCopy();
    ((ObjectNode) renamed.get("spec")).put("serviceName", "other");
    assertTrue(
        strategy
            .validateUpdate(renamed, old)
            .getFirst()
            .toString()
            .startsWith(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas'"));
  }

  @Test
  void printsReady() {
    ObjectNode s = db();
    s.putObject("status").put("readyReplicas", 1);
    assertEquals(List.of("db", "1/1"), strategy.tableCells(s).subList(0, 2));
  }
}
