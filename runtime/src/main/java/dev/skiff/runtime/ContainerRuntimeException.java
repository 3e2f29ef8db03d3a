package dev.skiff.runtime;

/** A runtime call failed; the code says how, as CRI's gRPC status codes do. */
public class ContainerRuntimeException extends RuntimeException {

  /** The failure kinds callers act on. */
  public enum Code {
    NOT_FOUND,
    INVALID_ARGUMENT,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    DEADLINE_EXCEEDED,
    UNAVAILABLE,
    INTERNAL
  }

  private final Code code;

  public ContainerRuntimeException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public ContainerRuntimeException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static ContainerRuntimeException notFound(String what, String id) {
    return new ContainerRuntimeException(Code.NOT_FOUND, what + " \"" + id + "\" not found");
  }
}
