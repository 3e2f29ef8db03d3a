package dev.skiff.api.kinds.networking;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressClassStrategyTest {

  private final IngressClassStrategy strategy = new IngressClassStrategy();

  @Test
  void controllerIsImmutableAndParametersPrinted() {
    ObjectNode ic =
        obj(
            "{'metadata':{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx',"
                + "'parameters':{'apiGroup':'k8s.example.com','kind':'IngressParameters','name':'p'}}}");
    assertEquals(
        List.of("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p"),
        strategy.tableCells(ic).subList(0, 3));
    ObjectNode update = ic.deepCopy();
    ((ObjectNode) update.get("spec")).put("controller", "other");
    assertEquals(
        "spec.controller: Invalid value: \"other\": field is immutable",
        strategy.validateUpdate(update, ic).getFirst().toString());
  }
}
