package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.List;

/** PodTemplates: pod defaults and validation of {@code template}, and kubectl's columns. */
public final class PodTemplateStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          new TableColumn("Template", "string", "name", TableColumn.NAME.description(), 0),
          TableColumn.of("Containers", "string", "Names of each container in the template."),
          TableColumn.of(
              "Images", "string", "Images referenced by each container in the template."),
          TableColumn.of("Pod Labels", "string", "The labels for the pod template."));

  public PodTemplateStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode pt) {
    PodTemplates.applyDefaults(pt.withObject("template"));
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pt) {
    return PodTemplates.validate(
        pt.path("template"), "template", List.of("Always", "OnFailure", "Never"));
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pt) {
    JsonNode template = pt.path("template");
    return List.of(
        Printing.name(pt),
        PodTemplates.containerNames(template),
        PodTemplates.images(template),
        Printing.selector(template.path("metadata").path("labels")));
  }
}
