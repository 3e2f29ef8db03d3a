package dev.skiff.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed label selector: all requirements must hold. Built from the query-string syntax ({@link
 * #parse}) or from a metav1.LabelSelector object ({@link #fromJson}, {@link #fromModel}).
 */
public final class LabelSelector {
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  private final List<LabelRequirement> requirements;
  private final boolean matchesNothing;

  private LabelSelector(List<LabelRequirement> requirements, boolean matchesNothing) {
    this.requirements = List.copyOf(requirements);
    this.matchesNothing = matchesNothing;
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  public static LabelSelector nothing() {
    return NOTHING;
  }

  public static LabelSelector of(List<LabelRequirement> requirements) {
    return new LabelSelector(requirements, false);
  }

  /** Parses {@code a=b,c!=d,e in (f,g),!h}; null or blank selects everything. */
  public static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    return of(new LabelSelectorParser(selector).parse());
  }

  /** Equality requirements for every entry, as a Service or ReplicationController selector. */
  public static LabelSelector fromMap(Map<String, String> labels) {
    List<LabelRequirement> reqs = new ArrayList<>();
    new TreeMap<>(labels)
        .forEach(
            (k, v) ->
                reqs.add(new LabelRequirement(k, LabelRequirement.Operator.EQUALS, List.of(v))));
    return of(reqs);
  }

  /**
   * A metav1.LabelSelector as JSON: a missing/null selector selects nothing, an empty one
   * everything, as upstream's LabelSelectorAsSelector.
   */
  public static LabelSelector fromJson(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isMissingNode()) {
      return NOTHING;
    }
    List<LabelRequirement> reqs = new ArrayList<>();
    JsonNode matchLabels = selector.path("matchLabels");
    List<String> keys = new ArrayList<>();
    matchLabels.fieldNames().forEachRemaining(keys::add);
    keys.stream()
        .sorted()
        .forEach(
            k ->
                reqs.add(
                    new LabelRequirement(
                        k,
                        LabelRequirement.Operator.EQUALS,
                        List.of(matchLabels.get(k).asText()))));
    for (JsonNode expr : selector.path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      reqs.add(expression(expr.path("key").asText(), expr.path("operator").asText(), values));
    }
    return of(reqs);
  }

  /** The fabric8 model's LabelSelector, for controllers and the scheduler. */
  public static LabelSelector fromModel(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    List<LabelRequirement> reqs = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      new TreeMap<>(selector.getMatchLabels())
          .forEach(
              (k, v) ->
                  reqs.add(new LabelRequirement(k, LabelRequirement.Operator.EQUALS, List.of(v))));
    }
    if (selector.getMatchExpressions() != null) {
      for (var e : selector.getMatchExpressions()) {
        reqs.add(
            expression(
                e.getKey(), e.getOperator(), e.getValues() == null ? List.of() : e.getValues()));
      }
    }
    return of(reqs);
  }

  private static LabelRequirement expression(String key, String operator, List<String> values) {
    LabelRequirement.Operator op =
        switch (operator) {
          case "In" -> LabelRequirement.Operator.IN;
          case "NotIn" -> LabelRequirement.Operator.NOT_IN;
          case "Exists" -> LabelRequirement.Operator.EXISTS;
          case "DoesNotExist" -> LabelRequirement.Operator.DOES_NOT_EXIST;
          default ->
              throw new SelectorParseException(
                  "\"" + operator + "\" is not a valid label selector operator");
        };
    boolean needsValues =
        op == LabelRequirement.Operator.IN || op == LabelRequirement.Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new SelectorParseException(
          "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be"
              + " empty");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new SelectorParseException(
          "values: Invalid value: "
              + values
              + ": values set must be empty for exists and does not exist");
    }
    return new LabelRequirement(key, op, values);
  }

  public boolean matches(Map<String, String> labels) {
    if (matchesNothing) {
      return false;
    }
    for (LabelRequirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Labels of an object's {@code metadata.labels}. */
  public boolean matches(JsonNode object) {
    return matches(labelsOf(object));
  }

  public static Map<String, String> labelsOf(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    if (!labels.isObject() || labels.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    labels.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public boolean isEverything() {
    return !matchesNothing && requirements.isEmpty();
  }

  public boolean isNothing() {
    return matchesNothing;
  }

  public List<LabelRequirement> requirements() {
    return requirements;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    requirements.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }
}
