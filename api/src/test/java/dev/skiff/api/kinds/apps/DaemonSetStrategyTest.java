package dev.skiff.api.kinds.apps;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetStrategyTest {

  private final DaemonSetStrategy strategy = new DaemonSetStrategy();

  @Test
  void defaultsAndColumnsAsUpstream() {
    ObjectNode ds =
        obj(
            "{'metadata':{'name':'agent','namespace':'d'},'spec':{'selector':{'matchLabels':{'app':'a'}},"
                + "'template':{'metadata':{'labels':{'app':'a'}},'spec':{'nodeSelector':{'kubernetes.io/os':'linux'},"
                + "'containers':[{'name':'c','image':'i:1'}]}}},"
                + "'status':{'desiredNumberScheduled':2,'currentNumberScheduled':2,'numberReady':1,"
                + "'updatedNumberScheduled':2,'numberAvailable':1}}");
    strategy.applyDefaults(ds);
    assertEquals(1, ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt());
    assertEquals(0, ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt());
    assertEquals(List.of(), strategy.validate(ds));
    assertEquals(
        List.of("agent", 2L, 2L, 1L, 2L, 1L, "kubernetes.io/os=linux"),
        strategy.tableCells(ds).subList(0, 7));
  }

  @Test
  void rollingUpdateSurgesOrTakesNodesDownButNotBoth() {
    ObjectNode ds =
        obj(
            "{'metadata':{'name':'a','namespace':'d'},'spec':{'selector':{'matchLabels':{'app':'a'}},"
                + "'updateStrategy':{'rollingUpdate':{'maxUnavailable':0,'maxSurge':0}},"
                + "'template':{'metadata':{'labels':{'app':'a'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    strategy.applyDefaults(ds);
    assertEquals(
        List.of(
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when"
                + " maxSurge is 0"),
        strategy.validate(ds).stream().map(Object::toString).toList());
  }
}
