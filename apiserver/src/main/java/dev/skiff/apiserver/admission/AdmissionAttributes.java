package dev.skiff.apiserver.admission;

import dev.skiff.api.ResourceType;

/** What is being written: the resource, where, which object, how, and to which subresource. */
public record AdmissionAttributes(
    ResourceType type, String namespace, String name, Operation operation, String subresource) {

  /** The write verbs admission sees. */
  public enum Operation {
    CREATE,
    UPDATE
  }

  /** A write of {@code plural} in the core group to the main resource. */
  public boolean isCore(String plural) {
    return type.group().isEmpty() && type.plural().equals(plural) && subresource.isEmpty();
  }

  public boolean isCreate() {
    return operation == Operation.CREATE;
  }
}
