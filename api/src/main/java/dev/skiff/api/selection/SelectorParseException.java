package dev.skiff.api.selection;

/** A label or field selector string is malformed; the message is shown to the user. */
public class SelectorParseException extends IllegalArgumentException {
  public SelectorParseException(String message) {
    super(message);
  }
}
