package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangeStrategyTest {

  private final LimitRangeStrategy strategy = new LimitRangeStrategy();

  @Test
  void containerDefaultsComeFromMaxAndMin() {
    ObjectNode lr =
        obj(
            "{'metadata':{'name':'lr','namespace':'d'},'spec':{'limits':[{'type':'Container',"
                + "'max':{'cpu':'2'},'min':{'memory':'64Mi'}}]}}");
    strategy.applyDefaults(lr);
    assertEquals("2", lr.at("/spec/limits/0/default/cpu").asText());
    assertEquals("2", lr.at("/spec/limits/0/defaultRequest/cpu").asText());
    assertEquals("64Mi", lr.at("/spec/limits/0/defaultRequest/memory").asText());
    assertEquals(List.of(), strategy.validate(lr));
  }

  @Test
  void minAboveMaxIsRejected() {
    ObjectNode lr =
        obj(
            "{'metadata':{'name':'lr','namespace':'d'},'spec':{'limits':[{'type':'Pod',"
                + "'max':{'cpu':'1'},'min':{'cpu':'2'}}]}}");
    strategy.applyDefaults(lr);
    assertEquals(
        List.of(
            "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1"),
        strategy.validate(lr).stream().map(FieldError::toString).toList());
  }
}
