package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.List;

/** ServiceAccounts: the SECRETS count column of {@code kubectl get sa}. */
public final class ServiceAccountStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Secrets",
              "string",
              "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
          TableColumn.AGE);

  public ServiceAccountStrategy() {
    super(true);
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode sa) {
    return List.of(Printing.name(sa), (long) sa.path("secrets").size(), Printing.age(sa));
  }
}
