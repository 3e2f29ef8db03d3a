package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;

/** Endpoints: ports default to TCP, and the ENDPOINTS column shows up to three addresses. */
public final class EndpointsStrategy extends DefaultStrategy {

  private static final int SHOWN = 3;

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Endpoints", "string", "Endpoints of the service"),
          TableColumn.AGE);

  public EndpointsStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode ep) {
    for (JsonNode subset : ep.path("subsets")) {
      for (JsonNode p : subset.path("ports")) {
        if (p instanceof ObjectNode port) {
          PodSpecDefaults.putIfAbsent(port, "protocol", "TCP");
        }
      }
    }
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode ep) {
    return List.of(Printing.name(ep), endpoints(ep.path("subsets")), Printing.age(ep));
  }

  /** {@code ip:port} entries, three at most, then {@code + N more...}; as kubectl shows them. */
  static String endpoints(JsonNode subsets) {
    if (subsets.isEmpty()) {
      return Printing.NONE;
    }
    List<String> shown = new ArrayList<>();
    int count = 0;
    for (JsonNode subset : subsets) {
      JsonNode addresses = subset.path("addresses");
      if (subset.path("ports").isEmpty()) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (shown.size() < SHOWN) {
            shown.add(a.path("ip").asText());
          }
        }
        continue;
      }
      for (JsonNode port : subset.path("ports")) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (shown.size() < SHOWN) {
            String ip = a.path("ip").asText();
            shown.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.path("port").asInt());
          }
        }
      }
    }
    String joined = String.join(",", shown);
    return count > SHOWN ? joined + " + " + (count - SHOWN) + " more..." : joined;
  }
}
