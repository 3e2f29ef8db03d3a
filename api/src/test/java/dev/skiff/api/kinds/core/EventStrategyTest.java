package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventStrategyTest {

  private final EventStrategy strategy = new EventStrategy();

  @Test
  void printsLikeKubectlGetEvents() {
    List<Object> cells =
        strategy.tableCells(
            obj(
                "{'metadata':{'name':'web.17a','namespace':'d'},'type':'Normal','reason':'Scheduled',"
                    + "'involvedObject':{'kind':'Pod','name':'web','namespace':'d'},"
                    + "'message':'Successfully assigned d/web to n1 ','source':{'component':'default-scheduler'},"
                    + "'firstTimestamp':'2020-01-01T00:00:00Z','lastTimestamp':'2020-01-01T00:00:00Z','count':2}"));
    assertEquals(
        List.of(
            "Normal",
            "Scheduled",
            "pod/web",
            "",
            "default-scheduler",
            "Successfully assigned d/web to n1"),
        cells.subList(1, 7));
    assertEquals(2L, cells.get(8));
    assertEquals("web.17a", cells.get(9));
    assertEquals(10, strategy.tableColumns().size());
  }

  @Test
  void involvedObjectMustBeInTheEventsNamespace() {
    assertEquals(
        "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace",
        strategy
            .validate(
                obj(
                    "{'metadata':{'name':'e','namespace':'d'},'involvedObject':{'kind':'Pod','name':'p','namespace':'other'}}"))
            .getFirst()
            .toString());
    String nodeEvent = "'involvedObject':{'kind':'Node','name':'n1'}}";
    assertEquals(
        List.of(),
        strategy.validate(obj("{'metadata':{'name':'e','namespace':'default'}," + nodeEvent)));
    assertEquals(
        1,
        strategy.validate(obj("{'metadata':{'name':'e','namespace':'team'}," + nodeEvent)).size());
  }
}
