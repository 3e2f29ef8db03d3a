package dev.skiff.api.kinds.apps;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetStrategyTest {

  private final ReplicaSetStrategy strategy = new ReplicaSetStrategy();

  @Test
  void defaultsOneReplicaAndPrintsDesiredCurrentReady() {
    ObjectNode rs =
        obj(
            "{'metadata':{'name':'web-5d4','namespace':'d'},'spec':{'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'c','image':'i'}]}}},"
                + "'status':{'replicas':1,'readyReplicas':0}}");
    strategy.applyDefaults(rs);
    assertEquals(1, rs.at("/spec/replicas").asInt());
    assertEquals(List.of(), strategy.validate(rs));
    assertEquals(List.of("web-5d4", 1L, 1L, 0L), strategy.tableCells(rs).subList(0, 4));
  }

  @Test
  void newReplicaSetShowsZeroReplicasAndUpdatesKeepStatus() {
    ObjectNode rs =
        obj("{'metadata':{'name':'r','namespace':'d'},'spec':{},'status':{'replicas':5}}");
    strategy.prepareForCreate(rs);
    assertEquals("{\"replicas\":0}", rs.get("status").toString());
    ObjectNode update = rs.deepCopy();
    update.putObject("status").put("replicas", 9);
    strategy.prepareForUpdate(update, rs);
    assertEquals(0, update.at("/status/replicas").asInt());
  }

  @Test
  void emptySelectorIsInvalid() {
    ObjectNode rs =
        obj(
            "{'metadata':{'name':'r','namespace':'d'},'spec':{'selector':{},"
                + "'template':{'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    strategy.applyDefaults(rs);
    assertEquals(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil),"
            + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for"
            + " deployment",
        strategy.validate(rs).getFirst().toString());
  }
}
