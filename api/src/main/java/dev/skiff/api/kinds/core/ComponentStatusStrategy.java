package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.List;

/** ComponentStatuses (read-only): STATUS from the Healthy condition, MESSAGE and ERROR. */
public final class ComponentStatusStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Status", "string", "Status of the component conditions"),
          TableColumn.of("Message", "string", "Message of the component conditions"),
          TableColumn.of("Error", "string", "Error of the component conditions"));

  public ComponentStatusStrategy() {
    super(false);
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode cs) {
    String status = "Unknown";
    String message = "";
    String error = "";
    for (JsonNode c : cs.path("conditions")) {
      if (c.path("type").asText().equals("Healthy")) {
        status =
            switch (c.path("status").asText()) {
              case "True" -> "Healthy";
              case "False" -> "Unhealthy";
              default -> "Unknown";
            };
        message = c.path("message").asText("");
        error = c.path("error").asText("");
        break;
      }
    }
    return List.of(Printing.name(cs), status, message, error);
  }
}
