package dev.skiff.api.kinds.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.kinds.DefaultStrategy;
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
}
