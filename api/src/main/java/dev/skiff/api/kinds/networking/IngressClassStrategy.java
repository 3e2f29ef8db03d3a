package dev.skiff.api.kinds.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * IngressClasses: a controller name that never changes, and the CONTROLLER / PARAMETERS columns.
 */
public final class IngressClassStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Controller", "string", "Controller that is responsible for handling this class."),
          TableColumn.of(
              "Parameters", "string", "A reference to a resource with additional parameters."),
          TableColumn.AGE);

  public IngressClassStrategy() {
    super(false, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode ic) {
    List<FieldError> errs = new ArrayList<>();
    String controller = ic.path("spec").path("controller").asText("");
    if (controller.isEmpty()) {
      errs.add(FieldError.required("spec.controller", ""));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode ic, ObjectNode old) {
    String controller = ic.path("spec").path("controller").asText("");
    if (!controller.equals(old.path("spec").path("controller").asText(""))) {
      return List.of(FieldError.invalid("spec.controller", controller, "field is immutable"));
    }
    return List.of();
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode ic) {
    JsonNode params = ic.path("spec").path("parameters");
    String parameters = Printing.NONE;
    if (params.isObject()) {
      parameters = params.path("kind").asText("");
      if (params.hasNonNull("apiGroup")) {
        parameters += "." + params.path("apiGroup").asText();
      }
      parameters += "/" + params.path("name").asText("");
    }
    return List.of(
        Printing.name(ic),
        ic.path("spec").path("controller").asText(""),
        parameters,
        Printing.age(ic));
  }
}
