package dev.skiff.api.kinds.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.IntOrPercent;
import dev.skiff.api.validation.LabelSelectorValidation;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/** PodDisruptionBudgets: one of minAvailable / maxUnavailable, and kubectl's columns. */
public final class PodDisruptionBudgetStrategy extends DefaultStrategy {

  private static final List<String> EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Min Available", "string", "The minimum number of pods that must be available."),
          TableColumn.of(
              "Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
          TableColumn.of(
              "Allowed Disruptions",
              "integer",
              "Calculated number of pods that may be disrupted at this time."),
          TableColumn.AGE);

  public PodDisruptionBudgetStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void prepareForCreate(ObjectNode pdb) {
    initialStatus(pdb, "currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods");
  }

  @Override
  public void prepareForUpdate(ObjectNode pdb, ObjectNode old) {
    keepStatus(pdb, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pdb) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = pdb.path("spec");
    if (spec.hasNonNull("minAvailable") && spec.hasNonNull("maxUnavailable")) {
      errs.add(
          FieldError.invalid(
              "spec",
              new GoSyntax(spec.toString()),
              "minAvailable and maxUnavailable cannot be both set"));
    }
    errs.addAll(IntOrPercent.validate(spec.get("minAvailable"), "spec.minAvailable"));
    errs.addAll(IntOrPercent.validate(spec.get("maxUnavailable"), "spec.maxUnavailable"));
    errs.addAll(IntOrPercent.notMoreThan100Percent(spec.get("minAvailable"), "spec.minAvailable"));
    errs.addAll(
        IntOrPercent.notMoreThan100Percent(spec.get("maxUnavailable"), "spec.maxUnavailable"));
    errs.addAll(LabelSelectorValidation.validate(spec.get("selector"), "spec.selector"));
    String policy = spec.path("unhealthyPodEvictionPolicy").asText("");
    if (!policy.isEmpty() && !EVICTION_POLICIES.contains(policy)) {
      errs.add(
          FieldError.notSupported("spec.unhealthyPodEvictionPolicy", policy, EVICTION_POLICIES));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pdb) {
    JsonNode spec = pdb.path("spec");
    return List.of(
        Printing.name(pdb),
        spec.hasNonNull("minAvailable") ? spec.path("minAvailable").asText() : "N/A",
        spec.hasNonNull("maxUnavailable") ? spec.path("maxUnavailable").asText() : "N/A",
        pdb.path("status").path("disruptionsAllowed").asLong(),
        Printing.age(pdb));
  }
}
