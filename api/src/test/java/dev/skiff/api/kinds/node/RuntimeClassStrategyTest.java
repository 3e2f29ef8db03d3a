package dev.skiff.api.kinds.node;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeClassStrategyTest {

  @Test
  void handlerIsRequiredAndPrinted() {
    RuntimeClassStrategy strategy = new RuntimeClassStrategy();
    assertEquals(
        "handler: Required value",
        strategy.validate(obj("{'metadata':{'name':'r'}}")).getFirst().toString());
    assertEquals(
        List.of("runc", "runc"),
        strategy.tableCells(obj("{'metadata':{'name':'runc'},'handler':'runc'}")).subList(0, 2));
  }
}
