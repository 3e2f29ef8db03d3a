package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Events, in the core/v1 shape both event APIs are stored in: the involved object's namespace must
 * be the event's, and kubectl's LAST SEEN / TYPE / REASON / OBJECT / MESSAGE columns.
 */
public final class EventStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.of(
              "Last Seen",
              "string",
              "The time at which the most recent occurrence of this event was recorded."),
          TableColumn.of(
              "Type",
              "string",
              "Type of this event (Normal, Warning), new types could be added in the future"),
          TableColumn.of(
              "Reason",
              "string",
              "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
          TableColumn.of("Object", "string", "The object that this event is about."),
          TableColumn.wide(
              "Subobject", "string", "The field of the involved object this event is about."),
          TableColumn.wide("Source", "string", "The component reporting this event."),
          TableColumn.of(
              "Message", "string", "A human-readable description of the status of this operation."),
          TableColumn.wide(
              "First Seen", "string", "The time at which the event was first recorded."),
          TableColumn.wide("Count", "string", "The number of times this event has occurred."),
          new TableColumn("Name", "string", "name", TableColumn.NAME.description(), 1));

  public EventStrategy() {
    super(true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode ev) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode involved = ev.has("regarding") ? ev.path("regarding") : ev.path("involvedObject");
    String field = ev.has("regarding") ? "regarding" : "involvedObject";
    String ns = involved.path("namespace").asText("");
    String own = ev.path("metadata").path("namespace").asText("");
    // Events about cluster-scoped objects live in "default", as upstream allows for old clients.
    boolean matches = ns.isEmpty() ? own.isEmpty() || own.equals("default") : ns.equals(own);
    if (!matches) {
      errs.add(FieldError.invalid(field + ".namespace", ns, "does not match event.namespace"));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode ev) {
    boolean newShape = ev.has("regarding") || ev.has("note");
    JsonNode involved = newShape ? ev.path("regarding") : ev.path("involvedObject");
    String firstTs = text(ev, newShape ? "deprecatedFirstTimestamp" : "firstTimestamp");
    String first =
        firstTs.isEmpty() ? Printing.since(text(ev, "eventTime")) : Printing.since(firstTs);
    String lastTs = text(ev, newShape ? "deprecatedLastTimestamp" : "lastTimestamp");
    String last = lastTs.isEmpty() ? first : Printing.since(lastTs);
    long count = ev.path(newShape ? "deprecatedCount" : "count").asLong(0);
    if (ev.path("series").isObject()) {
      last = Printing.since(ev.path("series").path("lastObservedTime").asText(""));
      count = ev.path("series").path("count").asLong();
    } else if (count == 0) {
      count = 1;
    }
    String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
    String name = involved.path("name").asText("");
    JsonNode source = ev.path(newShape ? "deprecatedSource" : "source");
    String component =
        firstNonEmpty(
            source.path("component").asText(""),
            text(ev, newShape ? "reportingController" : "reportingComponent"));
    String instance = firstNonEmpty(source.path("host").asText(""), text(ev, "reportingInstance"));
    return List.of(
        last,
        text(ev, "type"),
        text(ev, "reason"),
        name.isEmpty() ? kind : kind + "/" + name,
        involved.path("fieldPath").asText(""),
        instance.isEmpty() ? component : component + ", " + instance,
        text(ev, newShape ? "note" : "message").strip(),
        first,
        count,
        Printing.name(ev));
  }

  private static String text(JsonNode obj, String field) {
    return obj.path(field).isValueNode() ? obj.path(field).asText("") : "";
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }
}
