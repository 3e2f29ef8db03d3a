package dev.skiff.apiserver.allocation;

/**
 * Why an IP or port could not be allocated, with upstream's wording so the API server can put the
 * message into the same field error kube-apiserver returns.
 */
public final class AllocationException extends Exception {
  /** The three failures upstream's allocators distinguish. */
  public enum Reason {
    FULL,
    ALLOCATED,
    NOT_IN_RANGE,
    MISMATCHED_RANGE
  }

  private final Reason reason;

  AllocationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AllocationException full() {
    return new AllocationException(Reason.FULL, "range is full");
  }
}
