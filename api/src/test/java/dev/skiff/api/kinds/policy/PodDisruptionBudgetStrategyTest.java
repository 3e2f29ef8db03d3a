package dev.skiff.api.kinds.policy;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDisruptionBudgetStrategyTest {

  private final PodDisruptionBudgetStrategy strategy = new PodDisruptionBudgetStrategy();

  @Test
  void rowShowsBudgetAndAllowedDisruptions() {
    ObjectNode pdb =
        obj(
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'minAvailable':'50%','selector':{'matchLabels':{'app':'web'}}},"
                + "'status':{'disruptionsAllowed':1}}");
    assertEquals(List.of(), strategy.validate(pdb));
    assertEquals(List.of("web", "50%", "N/A", 1L), strategy.tableCells(pdb).subList(0, 4));
  }

  @Test
  void minAvailableAndMaxUnavailableAreExclusive() {
    ObjectNode pdb =
        obj(
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'minAvailable':1,'maxUnavailable':1}}");
    assertEquals(
        "minAvailable and maxUnavailable cannot be both set",
        strategy.validate(pdb).getFirst().detail());
  }
}
