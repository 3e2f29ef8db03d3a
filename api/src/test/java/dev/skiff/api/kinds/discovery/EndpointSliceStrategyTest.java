package dev.skiff.api.kinds.discovery;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceStrategyTest {

  private final EndpointSliceStrategy strategy = new EndpointSliceStrategy();

  @Test
  void printsPortsAndEndpoints() {
    ObjectNode slice =
        obj(
            "{'metadata':{'name':'web-abc','namespace':'d'},'addressType':'IPv4','ports':[{'port':80}],"
                + "'endpoints':[{'addresses':['10.42.0.1']},{'addresses':['10.42.0.2']},{'addresses':['10.42.0.3']},{'addresses':['10.42.0.4']}]}");
    strategy.applyDefaults(slice);
    assertEquals("TCP", slice.at("/ports/0/protocol").asText());
    assertEquals(List.of(), strategy.validate(slice));
    assertEquals(
        List.of("web-abc", "IPv4", "80", "10.42.0.1,10.42.0.2,10.42.0.3 + 1 more..."),
        strategy.tableCells(slice).subList(0, 4));
    assertEquals(
        List.of("<unset>", "<unset>"),
        strategy.tableCells(obj("{'metadata':{'name':'e'},'addressType':'IPv4'}")).subList(2, 4));
  }

  @Test
  void addressTypeIsRequired() {
    assertEquals(
        List.of("addressType: Required value"),
        strategy.validate(obj("{'metadata':{'name':'e','namespace':'d'}}")).stream()
            .map(FieldError::toString)
            .toList());
  }
}
