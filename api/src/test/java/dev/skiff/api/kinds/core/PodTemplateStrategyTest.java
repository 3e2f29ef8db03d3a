package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTemplateStrategyTest {

  private final PodTemplateStrategy strategy = new PodTemplateStrategy();

  @Test
  void templateGetsPodDefaultsAndIsValidated() {
    ObjectNode pt =
        obj(
            "{'metadata':{'name':'t','namespace':'d'},'template':{'metadata':{'labels':{'a':'b'}},"
                + "'spec':{'containers':[{'name':'c','image':'busybox:1.36'}]}}}");
    strategy.applyDefaults(pt);
    assertEquals("Always", pt.at("/template/spec/restartPolicy").asText());
    assertEquals(List.of(), strategy.validate(pt));
    assertEquals(List.of("t", "c", "busybox:1.36", "a=b"), strategy.tableCells(pt));
  }
}
