package dev.skiff.api.patch;

/**
 * A patch could not be applied; the message is shown to the user in a Status. {@link #code()} is
 * the HTTP status upstream answers with: 400 BadRequest when the patch document itself is
 * malformed, 422 when a well-formed patch does not apply to the object (a failing {@code test}, a
 * missing path, a missing merge key).
 */
public class PatchException extends RuntimeException {
  private final int code;

  public PatchException(String message) {
    this(422, message);
  }

  public PatchException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** A malformed patch document: upstream answers 400 BadRequest. */
  public static PatchException badRequest(String message) {
    return new PatchException(400, message);
  }

  /** 400, 413 or 422, as upstream for the same failure. */
  public int code() {
    return code;
  }
}
