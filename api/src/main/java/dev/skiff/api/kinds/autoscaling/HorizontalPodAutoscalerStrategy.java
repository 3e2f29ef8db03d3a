package dev.skiff.api.kinds.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers in their autoscaling/v2 storage shape: minReplicas 1 and an 80% CPU
 * target by default, behavior defaults when behavior is given, and kubectl's TARGETS column.
 */
public final class HorizontalPodAutoscalerStrategy extends DefaultStrategy {

  private static final int SHOWN = 2;

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Reference", "string", "The target being scaled."),
          TableColumn.of("Targets", "string", "The current and target values of each metric."),
          TableColumn.of("MinPods", "string", "The lower limit for the number of pods."),
          TableColumn.of("MaxPods", "string", "The upper limit for the number of pods."),
          TableColumn.of(
              "Replicas",
              "string",
              "Current number of replicas of pods managed by this autoscaler."),
          TableColumn.AGE);

  public HorizontalPodAutoscalerStrategy() {
    super(true, dev.skiff.api.validation.NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void applyDefaults(ObjectNode hpa) {
    ObjectNode spec = hpa.withObject("spec");
    if (!spec.hasNonNull("minReplicas")) {
      spec.put("minReplicas", 1);
    }
    if (spec.path("metrics").isEmpty()) {
      ObjectNode cpu = spec.putArray("metrics").addObject();
      cpu.put("type", "Resource");
      ObjectNode resource = cpu.putObject("resource");
      resource.put("name", "cpu");
      resource.putObject("target").put("type", "Utilization").put("averageUtilization", 80);
    }
    if (spec.get("behavior") instanceof ObjectNode behavior) {
      rules(behavior.withObject("scaleUp"), 0, List.of(new int[] {4, 15}, new int[] {100, 15}));
      // Scale-down's window stays unset: the controller then applies its own (5 minutes).
      rules(behavior.withObject("scaleDown"), null, List.of(new int[] {100, 15}));
    }
  }

  /** Fills a scaling rule: policies are {Pods, n, s} and {Percent, p, s}, Pods first. */
  private static void rules(ObjectNode rules, Integer window, List<int[]> policies) {
    if (window != null && !rules.hasNonNull("stabilizationWindowSeconds")) {
      rules.put("stabilizationWindowSeconds", window);
    }
    if (!rules.hasNonNull("selectPolicy")) {
      rules.put("selectPolicy", "Max");
    }
    if (rules.path("policies").isEmpty()) {
      ArrayNode list = rules.putArray("policies");
      for (int i = 0; i < policies.size(); i++) {
        boolean pods = policies.size() == 2 && i == 0;
        list.addObject()
            .put("type", pods ? "Pods" : "Percent")
            .put("value", policies.get(i)[0])
            .put("periodSeconds", policies.get(i)[1]);
      }
    }
  }

  @Override
  public void prepareForCreate(ObjectNode hpa) {
    initialStatus(hpa, "desiredReplicas");
  }

  @Override
  public void prepareForUpdate(ObjectNode hpa, ObjectNode old) {
    keepStatus(hpa, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode hpa) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = hpa.path("spec");
    long min = spec.path("minReplicas").asLong(1);
    long max = spec.path("maxReplicas").asLong(0);
    if (min < 1) {
      errs.add(FieldError.invalid("spec.minReplicas", min, "must be greater than or equal to 1"));
    }
    if (max < 1) {
      errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than or equal to 1"));
    } else if (max < min) {
      errs.add(
          FieldError.invalid(
              "spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
    }
    JsonNode ref = spec.path("scaleTargetRef");
    if (ref.path("kind").asText("").isEmpty()) {
      errs.add(FieldError.required("spec.scaleTargetRef.kind", ""));
    }
    if (ref.path("name").asText("").isEmpty()) {
      errs.add(FieldError.required("spec.scaleTargetRef.name", ""));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode hpa) {
    JsonNode spec = hpa.path("spec");
    JsonNode ref = spec.path("scaleTargetRef");
    return List.of(
        Printing.name(hpa),
        ref.path("kind").asText("") + "/" + ref.path("name").asText(""),
        targets(spec.path("metrics"), hpa.path("status").path("currentMetrics")),
        spec.path("minReplicas").isNumber() ? spec.path("minReplicas").asText() : "<unset>",
        spec.path("maxReplicas").asLong(),
        hpa.path("status").path("currentReplicas").asLong(),
        Printing.age(hpa));
  }

  /** kubectl's TARGETS: {@code current/target} per metric, two at most. */
  static String targets(JsonNode specs, JsonNode statuses) {
    if (specs.isEmpty()) {
      return Printing.NONE;
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      JsonNode spec = specs.get(i);
      JsonNode status = statuses.path(i);
      String type = spec.path("type").asText("");
      list.add(
          switch (type) {
            case "Resource", "ContainerResource" -> resource(spec, status, type);
            case "Pods" ->
                current(status.path("pods").path("current").path("averageValue"))
                    + "/"
                    + quantity(spec.path("pods").path("target").path("averageValue"));
            case "Object", "External" ->
                external(spec, status, type.equals("Object") ? "object" : "external");
            default -> "<unknown type>";
          });
    }
    if (list.size() > SHOWN) {
      return String.join(", ", list.subList(0, SHOWN)) + " + " + (list.size() - SHOWN) + " more...";
    }
    return String.join(", ", list);
  }

  private static String resource(JsonNode spec, JsonNode status, String type) {
    String field = type.equals("Resource") ? "resource" : "containerResource";
    JsonNode target = spec.path(field).path("target");
    String name = spec.path(field).path("name").asText("");
    JsonNode current = status.path(field).path("current");
    if (target.has("averageValue")) {
      return name
          + ": "
          + current(current.path("averageValue"))
          + "/"
          + quantity(target.path("averageValue"));
    }
    String now =
        current.path("averageUtilization").isNumber()
            ? current.path("averageUtilization").asInt() + "%"
            : "<unknown>";
    String goal =
        target.path("averageUtilization").isNumber()
            ? target.path("averageUtilization").asInt() + "%"
            : "<auto>";
    return name + ": " + now + "/" + goal;
  }

  private static String external(JsonNode spec, JsonNode status, String field) {
    JsonNode target = spec.path(field).path("target");
    JsonNode current = status.path(field).path("current");
    if (target.has("averageValue")) {
      return current(current.path("averageValue"))
          + "/"
          + quantity(target.path("averageValue"))
          + " (avg)";
    }
    return current(current.path("value")) + "/" + quantity(target.path("value"));
  }

  private static String current(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "<unknown>" : quantity(value);
  }

  private static String quantity(JsonNode value) {
    String text = value.asText("");
    return Quantity.isValid(text) ? Quantity.parse(text).toString() : "0";
  }
}
