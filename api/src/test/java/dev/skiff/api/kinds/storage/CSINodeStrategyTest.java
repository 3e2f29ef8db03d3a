package dev.skiff.api.kinds.storage;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CSINodeStrategyTest {

  @Test
  void countsDrivers() {
    assertEquals(
        List.of("n1", 1L),
        new CSINodeStrategy()
            .tableCells(
                obj("{'metadata':{'name':'n1'},'spec':{'drivers':[{'name':'d','nodeID':'n1'}]}}"))
            .subList(0, 2));
  }
}
