package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountStrategyTest {

  @Test
  void secretsColumnCountsSecrets() {
    ServiceAccountStrategy strategy = new ServiceAccountStrategy();
    assertEquals(
        List.of("default", 0L),
        strategy.tableCells(obj("{'metadata':{'name':'default','namespace':'d'}}")).subList(0, 2));
    assertEquals(
        List.of("Name", "Secrets", "Age"),
        strategy.tableColumns().stream().map(c -> c.name()).toList());
  }
}
