package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** ConfigMaps: key syntax, keys not repeated between data and binaryData, 1 MiB, immutability. */
public final class ConfigMapStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Data", "string", "Number of keys in the config map."),
          TableColumn.AGE);

  public ConfigMapStrategy() {
    super(true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode cm) {
    JsonNode data = cm.path("data");
    JsonNode binary = cm.path("binaryData");
    List<FieldError> errs = new ArrayList<>(DataKeys.keys(data, "data"));
    errs.addAll(DataKeys.keys(binary, "binaryData"));
    long size = 0;
    for (var e : data.properties()) {
      size += e.getValue().asText("").getBytes(StandardCharsets.UTF_8).length;
      if (binary.has(e.getKey())) {
        errs.add(
            FieldError.invalid(
                "data[" + e.getKey() + "]", e.getKey(), "duplicate of key present in binaryData"));
      }
    }
    for (var e : binary.properties()) {
      size += decodedLength(e.getValue().asText(""));
      if (data.has(e.getKey())) {
        errs.add(
            FieldError.invalid(
                "binaryData[" + e.getKey() + "]", e.getKey(), "duplicate of key present in data"));
      }
    }
    if (size > DataKeys.MAX_SIZE) {
      errs.add(
          new FieldError(
              FieldError.Type.TOO_LONG,
              "",
              null,
              "may not be more than " + DataKeys.MAX_SIZE + " bytes"));
    }
    return errs;
  }

  private static long decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode cm, ObjectNode old) {
    return DataKeys.immutable(cm, old, List.of("data", "binaryData"));
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode cm) {
    return List.of(
        Printing.name(cm),
        (long) (cm.path("data").size() + cm.path("binaryData").size()),
        Printing.age(cm));
  }
}
