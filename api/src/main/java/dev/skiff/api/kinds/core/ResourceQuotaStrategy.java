package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ResourceQuotas: hard limits must be non-negative quantities; status belongs to the quota
 * controller; REQUEST and LIMIT columns show {@code used/hard} per resource.
 */
public final class ResourceQuotaStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.AGE,
          TableColumn.of(
              "Request",
              "string",
              "Request represents a minimum amount of cpu/memory that a container may consume."),
          TableColumn.of(
              "Limit",
              "string",
              "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."));

  public ResourceQuotaStrategy() {
    super(true);
  }

  @Override
  public void prepareForCreate(ObjectNode quota) {
    initialStatus(quota);
  }

  @Override
  public void prepareForUpdate(ObjectNode quota, ObjectNode old) {
    keepStatus(quota, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode quota) {
    List<FieldError> errs = new ArrayList<>();
    for (var e : quota.path("spec").path("hard").properties()) {
      String p = "spec.hard[" + e.getKey() + "]";
      String text = e.getValue().asText();
      try {
        if (Quantity.parse(text).signum() < 0) {
          errs.add(FieldError.invalid(p, text, "must be greater than or equal to 0"));
        }
      } catch (IllegalArgumentException bad) {
        errs.add(FieldError.invalid(p, text, bad.getMessage()));
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode quota) {
    JsonNode hard = quota.path("status").path("hard");
    JsonNode used = quota.path("status").path("used");
    List<String> requests = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    hard.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      String entry = name + ": " + canonical(used.path(name)) + "/" + canonical(hard.path(name));
      (name.startsWith("limits.") ? limits : requests).add(entry);
    }
    return List.of(
        Printing.name(quota),
        Printing.age(quota),
        String.join(", ", requests),
        String.join(", ", limits));
  }

  private static String canonical(JsonNode value) {
    String text = value.asText("");
    return Quantity.isValid(text) ? Quantity.parse(text).toString() : "0";
  }
}
