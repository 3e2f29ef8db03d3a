package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStrategyTest {

  private final NodeStrategy strategy = new NodeStrategy();

  @Test
  void printsStatusRolesVersionAndAddresses() {
    ObjectNode node =
        obj(
            "{'metadata':{'name':'n1','labels':{'node-role.kubernetes.io/control-plane':''}},"
                + "'spec':{'unschedulable':true},"
                + "'status':{'conditions':[{'type':'Ready','status':'True'}],"
                + "'addresses':[{'type':'InternalIP','address':'192.0.2.10'}],"
                + "'nodeInfo':{'kubeletVersion':'v1.32.0','osImage':'Debian GNU/Linux 12','kernelVersion':'6.1.0','containerRuntimeVersion':'skiff://0.1'}}}");
    List<Object> cells = strategy.tableCells(node);
    assertEquals(List.of("n1", "Ready,SchedulingDisabled", "control-plane"), cells.subList(0, 3));
    assertEquals("v1.32.0", cells.get(4));
    assertEquals(
        List.of("192.0.2.10", "<none>", "Debian GNU/Linux 12", "6.1.0", "skiff://0.1"),
        cells.subList(5, 10));
  }

  @Test
  void nodeWithoutConditionsIsUnknownAndNotReadyIsNamed() {
    assertEquals("Unknown", strategy.tableCells(obj("{'metadata':{'name':'n'}}")).get(1));
    assertEquals(
        "NotReady",
        strategy
            .tableCells(
                obj(
                    "{'metadata':{'name':'n'},'status':{'conditions':[{'type':'Ready','status':'Unknown'}]}}"))
            .get(1));
    assertEquals("<none>", strategy.tableCells(obj("{'metadata':{'name':'n'}}")).get(2));
  }

  @Test
  void allocatableDefaultsToCapacity() {
    ObjectNode node =
        obj("{'metadata':{'name':'n'},'status':{'capacity':{'cpu':'2','pods':'110'}}}");
    strategy.applyDefaults(node);
    assertEquals("110", node.at("/status/allocatable/pods").asText());
  }

  @Test
  void podCidrIsSetOnceAndMirrored() {
    ObjectNode old = obj("{'metadata':{'name':'n'},'spec':{}}");
    strategy.applyDefaults(old);
    ObjectNode assigned = old.deepCopy();
    ((ObjectNode) assigned.get("spec")).put("podCIDR", "10.42.1.0/24");
    strategy.applyDefaults(assigned);
    assertEquals("10.42.1.0/24", assigned.at("/spec/podCIDRs/0").asText());
    assertEquals(List.of(), strategy.validateUpdate(assigned, old));
    ObjectNode changed = assigned.deepCopy();
    ((ObjectNode) changed.get("spec"))
        .put("podCIDR", "10.42.2.0/24")
        .putArray("podCIDRs")
        .add("10.42.2.0/24");
    assertEquals(
        List.of(
            "spec.podCIDRs[0]: Forbidden: node updates may not change podCIDR except from \"\" to"
                + " valid"),
        strategy.validateUpdate(changed, assigned).stream().map(Object::toString).toList());
  }
}
