package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.ImmutableField;
import java.util.List;

/** ControllerRevisions: a non-negative revision whose data never changes; CONTROLLER column. */
public final class ControllerRevisionStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Controller", "string", "Controller of the object"),
          TableColumn.of(
              "Revision",
              "string",
              "Revision indicates the revision of the state represented by Data."),
          TableColumn.AGE);

  public ControllerRevisionStrategy() {
    super(true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode cr) {
    if (cr.path("revision").asLong(0) < 0) {
      return List.of(
          FieldError.invalid(
              "revision", cr.path("revision").asLong(), "must be greater than or equal to 0"));
    }
    return List.of();
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode cr, ObjectNode old) {
    return ImmutableField.unchanged(cr, old, "data");
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode cr) {
    String controller = Printing.NONE;
    for (JsonNode ref : cr.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String apiVersion = ref.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : "." + apiVersion.substring(0, slash);
        controller =
            ref.path("kind").asText("").toLowerCase(java.util.Locale.ROOT)
                + group
                + "/"
                + ref.path("name").asText("");
      }
    }
    return List.of(Printing.name(cr), controller, cr.path("revision").asLong(), Printing.age(cr));
  }
}
