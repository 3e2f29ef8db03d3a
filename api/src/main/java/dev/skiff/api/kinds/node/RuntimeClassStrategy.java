package dev.skiff.api.kinds.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/** RuntimeClasses: a DNS-label handler that never changes, and the HANDLER column. */
public final class RuntimeClassStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Handler",
              "string",
              "Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class."),
          TableColumn.AGE);

  public RuntimeClassStrategy() {
    super(false);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode rc) {
    List<FieldError> errs = new ArrayList<>();
    String handler = rc.path("handler").asText("");
    if (handler.isEmpty()) {
      errs.add(FieldError.required("handler", ""));
    } else {
      NameValidation.dns1123Label(handler)
          .forEach(m -> errs.add(FieldError.invalid("handler", handler, m)));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode rc, ObjectNode old) {
    String handler = rc.path("handler").asText("");
    if (!handler.equals(old.path("handler").asText(""))) {
      return List.of(FieldError.invalid("handler", handler, "field is immutable"));
    }
    return List.of();
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode rc) {
    return List.of(Printing.name(rc), rc.path("handler").asText(""), Printing.age(rc));
  }
}
