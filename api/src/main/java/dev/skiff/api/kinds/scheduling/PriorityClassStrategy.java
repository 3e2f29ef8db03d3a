package dev.skiff.api.kinds.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PriorityClasses: user classes are capped at one billion, the {@code system-} prefix is reserved
 * for the built-in classes, value and preemption policy are fixed once created.
 */
public final class PriorityClassStrategy extends DefaultStrategy {

  /** Upstream's HighestUserDefinablePriority. */
  public static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;

  private static final Set<String> SYSTEM_CLASSES =
      Set.of("system-node-critical", "system-cluster-critical");
  private static final List<String> PREEMPTION = List.of("Never", "PreemptLowerPriority");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Value", "integer", "The value of this priority class."),
          TableColumn.of(
              "Global-Default",
              "boolean",
              "Whether this class is the default for pods without a priority class."),
          TableColumn.AGE,
          TableColumn.of(
              "PreemptionPolicy", "string", "The policy for preempting pods with lower priority."));

  public PriorityClassStrategy() {
    super(false);
  }

  @Override
  public void applyDefaults(ObjectNode pc) {
    if (!pc.hasNonNull("preemptionPolicy")) {
      pc.put("preemptionPolicy", "PreemptLowerPriority");
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pc) {
    List<FieldError> errs = new ArrayList<>();
    String name = Printing.name(pc);
    if (name.startsWith("system-") && !SYSTEM_CLASSES.contains(name)) {
      errs.add(
          FieldError.invalid(
              "metadata.name", name, "priority class names with 'system-' prefix are reserved"));
    } else if (!name.startsWith("system-") && pc.path("value").asLong() > HIGHEST_USER_PRIORITY) {
      errs.add(
          FieldError.forbidden(
              "value",
              "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY));
    }
    String policy = pc.path("preemptionPolicy").asText("");
    if (!PREEMPTION.contains(policy)) {
      errs.add(FieldError.notSupported("preemptionPolicy", policy, PREEMPTION));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode pc, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (pc.path("value").asLong() != old.path("value").asLong()) {
      errs.add(FieldError.forbidden("value", "may not be changed in an update."));
    }
    if (!pc.path("preemptionPolicy").equals(old.path("preemptionPolicy"))) {
      errs.add(
          FieldError.invalid(
              "preemptionPolicy", pc.path("preemptionPolicy").asText(""), "field is immutable"));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pc) {
    JsonNode global = pc.path("globalDefault");
    return List.of(
        Printing.name(pc),
        pc.path("value").asLong(),
        global.asBoolean(false),
        Printing.age(pc),
        pc.path("preemptionPolicy").asText(""));
  }
}
