package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Namespaces: DNS-1123 label names, the {@code kubernetes.io/metadata.name} label, the {@code
 * kubernetes} finalizer and phase Active on create; spec finalizers change only through the
 * finalize subresource.
 */
public final class NamespaceStrategy extends DefaultStrategy {

  public static final String NAME_LABEL = "kubernetes.io/metadata.name";
  public static final String FINALIZER = "kubernetes";
  private static final Set<String> STANDARD_FINALIZERS =
      Set.of("kubernetes", "orphan", "foregroundDeletion");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Status", "string", "The status of the namespace"),
          TableColumn.AGE);

  public NamespaceStrategy() {
    super(false, NameValidation.DNS1123_LABEL_NAME, false);
  }

  @Override
  public void applyDefaults(ObjectNode ns) {
    String name = ns.path("metadata").path("name").asText("");
    if (!name.isEmpty()) {
      ns.withObject("metadata").withObject("labels").put(NAME_LABEL, name);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode ns) {
    ArrayNode finalizers = ns.withObject("spec").withArray("finalizers");
    boolean present = false;
    for (JsonNode f : finalizers) {
      present |= f.asText().equals(FINALIZER);
    }
    if (!present) {
      finalizers.add(FINALIZER);
    }
    ns.putObject("status").put("phase", "Active");
  }

  @Override
  public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
    ns.set("spec", old.path("spec").isObject() ? old.get("spec").deepCopy() : ns.objectNode());
    keepStatus(ns, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode ns) {
    List<FieldError> errs = new ArrayList<>();
    for (JsonNode f : ns.path("spec").path("finalizers")) {
      String name = f.asText("");
      for (String msg : NameValidation.qualifiedName(name)) {
        errs.add(FieldError.invalid("spec.finalizers", name, msg));
      }
      if (!name.contains("/") && !STANDARD_FINALIZERS.contains(name)) {
        errs.add(
            FieldError.invalid(
                "spec.finalizers",
                name,
                "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode ns) {
    return List.of(Printing.name(ns), ns.path("status").path("phase").asText(""), Printing.age(ns));
  }
}
