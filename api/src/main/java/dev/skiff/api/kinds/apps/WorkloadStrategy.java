package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.kinds.core.PodSpecDefaults;
import dev.skiff.api.kinds.core.PodTemplates;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.IntOrPercent;
import dev.skiff.api.validation.LabelSelectorValidation;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * The apps/v1 controllers' shared rules: a selector that is required, matches the template and
 * never changes; a template whose pods restart Always; status that only the status subresource
 * writes; generation that follows the spec.
 */
abstract class WorkloadStrategy extends DefaultStrategy {

  private static final TableColumn SELECTOR =
      TableColumn.wide("Selector", "string", "Label selector for pods.");

  private final String kindName;

  /**
   * @param kindName lower-case kind as upstream words "empty selector is invalid for ..."
   */
  WorkloadStrategy(String kindName) {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
    this.kindName = kindName;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = obj.withObject("spec");
    PodTemplates.applyDefaults(spec.withObject("template"));
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    initialStatus(obj, zeroStatusCounters());
  }

  /** Status counters the kind's Go type always serializes, so a new object shows them as 0. */
  abstract String[] zeroStatusCounters();

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    keepStatus(obj, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(IntOrPercent.nonNegative(spec.get("replicas"), "spec.replicas"));
    errs.addAll(IntOrPercent.nonNegative(spec.get("minReadySeconds"), "spec.minReadySeconds"));
    errs.addAll(
        IntOrPercent.nonNegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"));
    errs.addAll(LabelSelectorValidation.validateWorkload(spec, kindName));
    errs.addAll(PodTemplates.validate(spec.path("template"), "spec.template", List.of("Always")));
    if (spec.path("template").path("spec").has("activeDeadlineSeconds") && forbidsDeadline()) {
      errs.add(
          FieldError.forbidden(
              "spec.template.spec.activeDeadlineSeconds",
              "activeDeadlineSeconds in " + kindLabel() + " is not Supported"));
    }
    errs.addAll(validateWorkloadSpec(spec));
    return errs;
  }

  /** Rules of one workload kind beyond the shared ones. */
  abstract List<FieldError> validateWorkloadSpec(JsonNode spec);

  boolean forbidsDeadline() {
    return true;
  }

  String kindLabel() {
    return "ReplicaSet";
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode obj, ObjectNode old) {
    JsonNode selector = obj.path("spec").path("selector");
    if (!selector.equals(old.path("spec").path("selector"))) {
      return List.of(
          FieldError.invalid(
              "spec.selector",
              selector.isObject() ? GoSyntax.labelSelector(selector) : new GoSyntax("nil"),
              "field is immutable"));
    }
    return List.of();
  }

  /**
   * Defaults an update strategy's type to RollingUpdate.
   *
   * @return its rollingUpdate, created when absent, or null when the type is another one
   */
  static ObjectNode defaultedRollingUpdate(ObjectNode strategy) {
    PodSpecDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
    return strategy.path("type").asText().equals("RollingUpdate")
        ? strategy.withObject("rollingUpdate")
        : null;
  }

  /** maxUnavailable and maxSurge are each an int or a percentage, maxUnavailable at most 100%. */
  static List<FieldError> validateRollingBounds(JsonNode rolling, String path) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(IntOrPercent.validate(rolling.get("maxUnavailable"), path + "maxUnavailable"));
    errs.addAll(IntOrPercent.validate(rolling.get("maxSurge"), path + "maxSurge"));
    errs.addAll(
        IntOrPercent.notMoreThan100Percent(rolling.get("maxUnavailable"), path + "maxUnavailable"));
    return errs;
  }

  /** NAME, the kind's own columns, then AGE, CONTAINERS, IMAGES and (wide) SELECTOR. */
  static List<TableColumn> columnsWithSelector(TableColumn... own) {
    List<TableColumn> columns = new ArrayList<>();
    columns.add(TableColumn.NAME);
    columns.addAll(List.of(own));
    columns.addAll(
        List.of(TableColumn.AGE, PodTemplates.CONTAINERS, PodTemplates.IMAGES, SELECTOR));
    return List.copyOf(columns);
  }

  /** The cells of {@link #columnsWithSelector}: the name, the kind's own cells, then the rest. */
  static List<Object> cellsWithSelector(ObjectNode obj, Object... own) {
    JsonNode spec = obj.path("spec");
    List<Object> cells = new ArrayList<>();
    cells.add(Printing.name(obj));
    cells.addAll(List.of(own));
    cells.add(Printing.age(obj));
    cells.add(PodTemplates.containerNames(spec.path("template")));
    cells.add(PodTemplates.images(spec.path("template")));
    cells.add(Printing.labelSelector(spec.path("selector")));
    return cells;
  }
}
