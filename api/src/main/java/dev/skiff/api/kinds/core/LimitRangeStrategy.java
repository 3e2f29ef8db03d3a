package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * LimitRanges: a Container limit's default comes from its max and its default request from the
 * default (else the min), as upstream defaults them; min ≤ default request ≤ default ≤ max must
 * hold per resource. Printed with the default NAME / CREATED AT columns, as upstream does.
 */
public final class LimitRangeStrategy extends DefaultStrategy {

  public LimitRangeStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode lr) {
    for (JsonNode item : lr.path("spec").path("limits")) {
      if (item instanceof ObjectNode limit && limit.path("type").asText().equals("Container")) {
        fill(limit, "default", limit.path("max"));
        fill(limit, "defaultRequest", limit.path("default"));
        fill(limit, "defaultRequest", limit.path("min"));
      }
    }
  }

  /** Copies each of {@code from}'s resources that {@code limit.field} lacks. */
  private static void fill(ObjectNode limit, String field, JsonNode from) {
    for (var e : from.properties()) {
      if (!limit.path(field).has(e.getKey())) {
        limit.withObject(field).set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode lr) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode limits = lr.path("spec").path("limits");
    for (int i = 0; i < limits.size(); i++) {
      JsonNode item = limits.get(i);
      String p = "spec.limits[" + i + "]";
      if (item.path("type").asText("").isEmpty()) {
        errs.add(FieldError.required(p + ".type", ""));
      }
      for (String field :
          List.of("min", "max", "default", "defaultRequest", "maxLimitRequestRatio")) {
        for (var e : item.path(field).properties()) {
          if (!Quantity.isValid(e.getValue().asText())) {
            errs.add(
                FieldError.invalid(
                    p + "." + field + "[" + e.getKey() + "]",
                    e.getValue().asText(),
                    "must be a valid resource quantity"));
          }
        }
      }
      if (errs.isEmpty()) {
        errs.addAll(ordering(item, p));
      }
    }
    return errs;
  }

  /** Upstream's pairwise checks, each worded as upstream words it. */
  private static List<FieldError> ordering(JsonNode item, String p) {
    List<FieldError> errs = new ArrayList<>();
    for (var e : item.path("min").properties()) {
      String r = e.getKey();
      Quantity min = Quantity.parse(e.getValue().asText());
      Quantity max = quantity(item.path("max").path(r));
      if (max != null && min.compareTo(max) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".min[" + r + "]",
                min.toString(),
                "min value " + min + " is greater than max value " + max));
      }
      Quantity defaultRequest = quantity(item.path("defaultRequest").path(r));
      if (defaultRequest != null && min.compareTo(defaultRequest) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".defaultRequest[" + r + "]",
                defaultRequest.toString(),
                "min value " + min + " is greater than default request value " + defaultRequest));
      }
      Quantity limit = quantity(item.path("default").path(r));
      if (limit != null && min.compareTo(limit) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".default[" + r + "]",
                min.toString(),
                "min value " + min + " is greater than default value " + limit));
      }
    }
    for (var e : item.path("defaultRequest").properties()) {
      String r = e.getKey();
      Quantity request = Quantity.parse(e.getValue().asText());
      Quantity max = quantity(item.path("max").path(r));
      if (max != null && request.compareTo(max) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".defaultRequest[" + r + "]",
                request.toString(),
                "default request value " + request + " is greater than max value " + max));
      }
      Quantity limit = quantity(item.path("default").path(r));
      if (limit != null && request.compareTo(limit) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".defaultRequest[" + r + "]",
                request.toString(),
                "default request value "
                    + request
                    + " is greater than default limit value "
                    + limit));
      }
    }
    for (var e : item.path("default").properties()) {
      String r = e.getKey();
      Quantity limit = Quantity.parse(e.getValue().asText());
      Quantity max = quantity(item.path("max").path(r));
      if (max != null && limit.compareTo(max) > 0) {
        errs.add(
            FieldError.invalid(
                p + ".default[" + r + "]",
                limit.toString(),
                "default value " + limit + " is greater than max value " + max));
      }
    }
    return errs;
  }

  private static Quantity quantity(JsonNode value) {
    return value.isMissingNode() ? null : Quantity.parse(value.asText());
  }
}
