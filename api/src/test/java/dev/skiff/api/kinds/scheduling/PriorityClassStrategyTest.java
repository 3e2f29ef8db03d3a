package dev.skiff.api.kinds.scheduling;

import static dev.skiff.api.kinds.Json.obj;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityClassStrategyTest {

  private final PriorityClassStrategy strategy = new PriorityClassStrategy();

  @Test
  void userClassesAreCappedAndSystemPrefixReserved() {
    ObjectNode high = obj("{'metadata':{'name':'high'},'value':2000000000}");
    strategy.applyDefaults(high);
    assertEquals(
        List.of("value: Forbidden: maximum allowed value of a user defined priority is 1000000000"),
        messages(strategy.validate(high)));
    ObjectNode sys = obj("{'metadata':{'name':'system-mine'},'value':1}");
    strategy.applyDefaults(sys);
    assertEquals(
        List.of(
            "metadata.name: Invalid value: \"system-mine\": priority class names with 'system-'"
                + " prefix are reserved"),
        messages(strategy.validate(sys)));
  }

  @Test
  void valueIsFixedAndRowShowsPolicy() {
    ObjectNode old = obj("{'metadata':{'name':'p'},'value':10}");
    strategy.applyDefaults(old);
    ObjectNode update = old.deepCopy().put("value", 11);
    assertEquals(
        List.of("value: Forbidden: may not be changed in an update."),
        messages(strategy.validateUpdate(update, old)));
    assertEquals(List.of("p", 10L, false), strategy.tableCells(old).subList(0, 3));
    assertEquals("PreemptLowerPriority", strategy.tableCells(old).get(4));
  }
}
