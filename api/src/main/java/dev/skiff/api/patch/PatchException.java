package dev.skiff.api.patch;

/** A patch could not be applied; the message is shown to the user in a 422 or 400 Status. */
public class PatchException extends RuntimeException {
  public PatchException(String message) {
    super(message);
  }
}
