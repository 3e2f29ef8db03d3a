package dev.skiff.api.kinds.networking;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPolicyStrategyTest {

  private final NetworkPolicyStrategy strategy = new NetworkPolicyStrategy();

  @Test
  void policyTypesDefaultFromRules() {
    ObjectNode np =
        obj(
            "{'metadata':{'name':'deny','namespace':'d'},'spec':{'podSelector':{'matchLabels':{'app':'db'}},"
                + "'egress':[{'ports':[{'port':53}]}]}}");
    strategy.applyDefaults(np);
    assertEquals("[\"Ingress\",\"Egress\"]", np.at("/spec/policyTypes").toString());
    assertEquals("TCP", np.at("/spec/egress/0/ports/0/protocol").asText());
    assertEquals(List.of(), strategy.validate(np));
    assertEquals(List.of("deny", "app=db"), strategy.tableCells(np).subList(0, 2));
    ObjectNode all = obj("{'metadata':{'name':'all','namespace':'d'},'spec':{}}");
    strategy.applyDefaults(all);
    assertEquals("<none>", strategy.tableCells(all).get(1));
  }
}
