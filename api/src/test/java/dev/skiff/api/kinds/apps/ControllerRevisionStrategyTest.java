package dev.skiff.api.kinds.apps;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerRevisionStrategyTest {

  @Test
  void controllerColumnNamesTheOwner() {
    assertEquals(
        List.of("web-7c5", "statefulset.apps/web", 2L),
        new ControllerRevisionStrategy()
            .tableCells(
                obj(
                    "{'metadata':{'name':'web-7c5','namespace':'d','ownerReferences':[{'apiVersion':'apps/v1',"
                        + "'kind':'StatefulSet','name':'web','uid':'u','controller':true}]},'revision':2}"))
            .subList(0, 3));
  }
}
