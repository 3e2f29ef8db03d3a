package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentStatusStrategyTest {

  @Test
  void healthyConditionBecomesStatus() {
    assertEquals(
        List.of("etcd-0", "Healthy", "ok", ""),
        new ComponentStatusStrategy()
            .tableCells(
                obj(
                    "{'metadata':{'name':'etcd-0'},'conditions':[{'type':'Healthy','status':'True','message':'ok'}]}")));
  }
}
