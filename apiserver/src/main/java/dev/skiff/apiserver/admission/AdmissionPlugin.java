package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One admission plugin, as upstream's: {@link #admit} may change the object before it is validated
 * and stored; {@link #validate} sees the final object and may only refuse it.
 */
public interface AdmissionPlugin {
  /**
   * Mutating phase. {@code object} is the incoming object in the served version; {@code oldObject}
   * is the stored one on an update and null on a create.
   */
  default void admit(
      AdmissionAttributes attributes, ObjectNode object, ObjectNode oldObject, boolean dryRun) {}

  /** Validating phase: throws an {@code ApiException} to refuse; must not change the object. */
  default void validate(
      AdmissionAttributes attributes, ObjectNode object, ObjectNode oldObject, boolean dryRun) {}
}
