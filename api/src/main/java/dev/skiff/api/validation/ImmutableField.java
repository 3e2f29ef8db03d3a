package dev.skiff.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;

/** Upstream's "field is immutable" for a whole top-level field that no update may change. */
public final class ImmutableField {
  private ImmutableField() {}

  /**
   * No errors when {@code field} of {@code updated} equals the stored one; otherwise the error
   * upstream returns, which shows the new value as its JSON text.
   */
  public static List<FieldError> unchanged(ObjectNode updated, ObjectNode old, String field) {
    JsonNode value = updated.path(field);
    if (value.equals(old.path(field))) {
      return List.of();
    }
    return List.of(FieldError.invalid(field, new GoSyntax(value.toString()), "field is immutable"));
  }
}
