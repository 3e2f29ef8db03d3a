package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One entry of {@code metadata.managedFields}: the fields a manager set, by which operation (Apply
 * or Update), through which API version and subresource, and when it last changed them.
 */
public record ManagedFieldsEntry(
    String manager,
    String operation,
    String apiVersion,
    String subresource,
    String time,
    FieldSet fields) {

  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /**
   * Who an entry belongs to, as upstream's manager identifier: appliers are one manager whatever
   * version they apply through; updaters are one per version. Time and fields are not part of it.
   */
  public String identity() {
    String version = operation.equals(APPLY) ? "" : apiVersion;
    return manager + "\u0000" + operation + "\u0000" + version + "\u0000" + subresource;
  }

  public ManagedFieldsEntry withFields(FieldSet f) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, subresource, time, f);
  }

  /** How upstream names this manager in a conflict message. */
  public String describe() {
    String quoted = JsonNodeFactory.instance.textNode(manager).toString();
    return operation.equals(UPDATE) ? quoted + " using " + apiVersion : quoted;
  }

  private static final Comparator<ManagedFieldsEntry> ORDER =
      Comparator.comparing(ManagedFieldsEntry::operation)
          .thenComparing(ManagedFieldsEntry::time)
          .thenComparing(ManagedFieldsEntry::manager)
          .thenComparing(ManagedFieldsEntry::apiVersion)
          .thenComparing(ManagedFieldsEntry::subresource);

  /** The entries of {@code obj}'s {@code metadata.managedFields}. */
  public static List<ManagedFieldsEntry> read(JsonNode obj) {
    List<ManagedFieldsEntry> out = new ArrayList<>();
    for (JsonNode n : obj.path("metadata").path("managedFields")) {
      if (n.isObject()) {
        out.add(fromJson(n));
      }
    }
    return out;
  }

  /** Sets {@code obj}'s {@code metadata.managedFields}, in upstream's order; none removes it. */
  public static void write(ObjectNode obj, List<ManagedFieldsEntry> entries) {
    ObjectNode meta = obj.withObjectProperty("metadata");
    if (entries.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    ArrayNode arr = meta.putArray("managedFields");
    entries.stream().sorted(ORDER).forEach(e -> arr.add(e.toJson()));
  }

  public static ManagedFieldsEntry fromJson(JsonNode n) {
    return new ManagedFieldsEntry(
        n.path("manager").asText(""),
        n.path("operation").asText(""),
        n.path("apiVersion").asText(""),
        n.path("subresource").asText(""),
        n.path("time").asText(""),
        FieldSet.fromFieldsV1(n.get("fieldsV1")));
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("manager", manager);
    n.put("operation", operation);
    n.put("apiVersion", apiVersion);
    if (!time.isEmpty()) {
      n.put("time", time);
    }
    n.put("fieldsType", "FieldsV1");
    n.set("fieldsV1", fields.toFieldsV1());
    if (!subresource.isEmpty()) {
      n.put("subresource", subresource);
    }
    return n;
  }
}
