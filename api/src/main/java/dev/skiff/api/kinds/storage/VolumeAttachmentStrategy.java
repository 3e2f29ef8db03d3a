package dev.skiff.api.kinds.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.ImmutableField;
import java.util.ArrayList;
import java.util.List;

/** VolumeAttachments: attacher, node and source required, spec fixed, kubectl's columns. */
public final class VolumeAttachmentStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Attacher",
              "string",
              "Attacher indicates the name of the volume driver that MUST handle this request."),
          TableColumn.of("PV", "string", "Name of the persistent volume to attach."),
          TableColumn.of("Node", "string", "The node that the volume should be attached to."),
          TableColumn.of("Attached", "boolean", "Indicates the volume is successfully attached."),
          TableColumn.AGE);

  public VolumeAttachmentStrategy() {
    super(false);
  }

  @Override
  public void prepareForUpdate(ObjectNode va, ObjectNode old) {
    keepStatus(va, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode va) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = va.path("spec");
    for (String f : List.of("attacher", "nodeName")) {
      if (spec.path(f).asText("").isEmpty()) {
        errs.add(FieldError.required("spec." + f, ""));
      }
    }
    if (!spec.path("source").isObject()) {
      errs.add(
          FieldError.required(
              "spec.source",
              "must specify exactly one of inlineVolumeSpec and persistentVolumeName"));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode va, ObjectNode old) {
    return ImmutableField.unchanged(va, old, "spec");
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode va) {
    JsonNode spec = va.path("spec");
    return List.of(
        Printing.name(va),
        spec.path("attacher").asText(""),
        spec.path("source").path("persistentVolumeName").asText(""),
        spec.path("nodeName").asText(""),
        va.path("status").path("attached").asBoolean(false),
        Printing.age(va));
  }
}
