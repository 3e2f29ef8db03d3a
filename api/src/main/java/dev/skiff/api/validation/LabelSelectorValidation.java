package dev.skiff.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.selection.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * metav1.LabelSelector rules (upstream's ValidateLabelSelector) and the check workload kinds share:
 * a required, non-empty selector that selects the pod template's labels.
 */
public final class LabelSelectorValidation {

  private LabelSelectorValidation() {}

  public static List<FieldError> validate(JsonNode selector, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (selector == null || !selector.isObject()) {
      return errs;
    }
    JsonNode exprs = selector.path("matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      JsonNode e = exprs.get(i);
      String p = path + ".matchExpressions[" + i + "]";
      String operator = e.path("operator").asText("");
      int values = e.path("values").size();
      switch (operator) {
        case "In", "NotIn" -> {
          if (values == 0) {
            errs.add(
                FieldError.required(
                    p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) {
            errs.add(
                FieldError.forbidden(
                    p + ".values",
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default ->
            errs.add(
                FieldError.invalid(p + ".operator", operator, "not a valid selector operator"));
      }
      String key = e.path("key").asText("");
      for (String msg : NameValidation.qualifiedName(key)) {
        errs.add(FieldError.invalid(p + ".key", key, msg));
      }
      for (int j = 0; j < values; j++) {
        String v = e.path("values").get(j).asText("");
        for (String msg : NameValidation.labelValue(v)) {
          errs.add(FieldError.invalid(p + ".values[" + j + "]", v, msg));
        }
      }
    }
    errs.addAll(ObjectMetaValidation.labels(selector.path("matchLabels"), path + ".matchLabels"));
    return errs;
  }

  /**
   * The workload rule: {@code spec.selector} is required, not empty, valid, and selects the labels
   * of {@code spec.template}; {@code kindName} completes "empty selector is invalid for ...".
   */
  public static List<FieldError> validateWorkload(JsonNode spec, String kindName) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode selector = spec.get("selector");
    if (selector == null || selector.isNull()) {
      errs.add(FieldError.required("spec.selector", ""));
      return errs;
    }
    errs.addAll(validate(selector, "spec.selector"));
    if (isEmpty(selector)) {
      errs.add(
          FieldError.invalid(
              "spec.selector",
              GoSyntax.labelSelector(selector),
              "empty selector is invalid for " + kindName));
    }
    if (!errs.isEmpty()) {
      return errs;
    }
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    if (!LabelSelector.fromJson(selector).matches(spec.path("template"))) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              GoSyntax.stringMap(labels),
              "`selector` does not match template `labels`"));
    }
    return errs;
  }

  public static boolean isEmpty(JsonNode selector) {
    return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
  }
}
