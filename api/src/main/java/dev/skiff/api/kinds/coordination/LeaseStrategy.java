package dev.skiff.api.kinds.coordination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;

/** Leases: positive durations and the HOLDER column. */
public final class LeaseStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Holder", "string", "The holder of the lease."),
          TableColumn.AGE);

  public LeaseStrategy() {
    super(true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode lease) {
    List<FieldError> errs = new ArrayList<>();
    var spec = lease.path("spec");
    if (spec.path("leaseDurationSeconds").isNumber()
        && spec.path("leaseDurationSeconds").asLong() <= 0) {
      errs.add(
          FieldError.invalid(
              "spec.leaseDurationSeconds",
              spec.path("leaseDurationSeconds").asLong(),
              "must be greater than 0"));
    }
    if (spec.path("leaseTransitions").isNumber() && spec.path("leaseTransitions").asLong() < 0) {
      errs.add(
          FieldError.invalid(
              "spec.leaseTransitions",
              spec.path("leaseTransitions").asLong(),
              "must be greater than or equal to 0"));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode lease) {
    return List.of(
        Printing.name(lease),
        lease.path("spec").path("holderIdentity").asText(""),
        Printing.age(lease));
  }
}
