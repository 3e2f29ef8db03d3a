package dev.skiff.api.kinds.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.List;

/** CSINodes: the DRIVERS count column. */
public final class CSINodeStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Drivers",
              "integer",
              "Drivers indicates the number of CSI drivers registered on the node"),
          TableColumn.AGE);

  public CSINodeStrategy() {
    super(false);
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode csiNode) {
    return List.of(
        Printing.name(csiNode),
        (long) csiNode.path("spec").path("drivers").size(),
        Printing.age(csiNode));
  }
}
