package dev.skiff.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Per-kind behaviour plugged into the generic REST machinery, as upstream's RESTCreateStrategy /
 * RESTUpdateStrategy / TableConvertor. Objects are JSON trees in the resource's storage version;
 * the generic code has already handled metadata (uid, timestamps, resourceVersion, generateName)
 * before these hooks run. New hooks are added as default methods so every kind keeps compiling.
 *
 * <p>Upstream's order is defaults, then prepare, then validate; defaulting is idempotent and the
 * built-in strategies give the same result if prepare runs first.
 */
public interface ResourceStrategy {

  /** Fills defaulted fields, as upstream's SetDefaults_* functions. Runs on create and update. */
  default void applyDefaults(ObjectNode obj) {}

  /** Adjusts a new object before validation, e.g. clears status or sets an initial phase. */
  default void prepareForCreate(ObjectNode obj) {}

  /** Adjusts an updated object before validation, e.g. keeps fields the update may not touch. */
  default void prepareForUpdate(ObjectNode obj, ObjectNode old) {}

  /** Validation of a new object, including metadata.name rules for this kind. */
  default List<FieldError> validate(ObjectNode obj) {
    return List.of();
  }

  /** Validation of an update: the new object's own rules plus immutability rules. */
  default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return validate(obj);
  }

  /** True when a spec change bumps metadata.generation (upstream: most kinds with a spec). */
  default boolean tracksGeneration() {
    return false;
  }

  /** Columns of {@code kubectl get}, as upstream's printers; all priorities, wide ones > 0. */
  default List<TableColumn> tableColumns() {
    return TableColumn.DEFAULT;
  }

  /** One row's cells for {@link #tableColumns()}, same order and length. */
  default List<Object> tableCells(ObjectNode obj) {
    return TableColumn.defaultCells(obj);
  }
}
