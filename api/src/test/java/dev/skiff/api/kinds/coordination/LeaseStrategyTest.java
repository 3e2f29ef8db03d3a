package dev.skiff.api.kinds.coordination;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseStrategyTest {

  private final LeaseStrategy strategy = new LeaseStrategy();

  @Test
  void holderColumnAndPositiveDuration() {
    assertEquals(
        List.of("n1", "n1"),
        strategy
            .tableCells(
                obj(
                    "{'metadata':{'name':'n1','namespace':'kube-node-lease'},'spec':{'holderIdentity':'n1'}}"))
            .subList(0, 2));
    assertEquals(
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        strategy
            .validate(
                obj("{'metadata':{'name':'l','namespace':'d'},'spec':{'leaseDurationSeconds':0}}"))
            .getFirst()
            .toString());
  }
}
