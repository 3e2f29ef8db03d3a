package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EndpointsStrategyTest {

  @Test
  void showsThreeAddressesThenACount() {
    assertEquals(
        "10.42.0.1:80,10.42.0.2:80,10.42.0.3:80 + 1 more...",
        EndpointsStrategy.endpoints(
            obj("{'s':[{'addresses':[{'ip':'10.42.0.1'},{'ip':'10.42.0.2'},{'ip':'10.42.0.3'},{'ip':'10.42.0.4'}],"
                    + "'ports':[{'port':80}]}]}")
                .get("s")));
    assertEquals("<none>", EndpointsStrategy.endpoints(obj("{'s':[]}").get("s")));
  }
}
