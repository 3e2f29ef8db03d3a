package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.schema.UnknownFields;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fieldValidation=Strict|Warn|Ignore}: unknown and duplicate fields of a body fail the
 * request (Strict), come back as {@code Warning} headers (Warn, the default) or pass silently.
 */
final class FieldValidation {

  void check(Exchange ex, ResourceType t, ObjectNode body) {
    String mode = mode(ex);
    if (mode.equals("Ignore")) {
      return;
    }
    List<String> unknown = UnknownFields.find(body, t.javaType());
    List<String> duplicated =
        ex.contentType().type().equals("application/json")
            ? UnknownFields.duplicates(ex.body())
            : List.of();
    report(ex, t, mode, unknown, duplicated);
  }

  /** For patches: the patched object must not carry fields the type lacks. */
  void checkResult(Exchange ex, ResourceType t, ObjectNode patched) {
    String mode = mode(ex);
    if (!mode.equals("Ignore")) {
      report(ex, t, mode, UnknownFields.find(patched, t.javaType()), List.of());
    }
  }

  private static void report(
      Exchange ex, ResourceType t, String mode, List<String> unknown, List<String> duplicated) {
    if (unknown.isEmpty() && duplicated.isEmpty()) {
      return;
    }
    if (mode.equals("Strict")) {
      throw ApiException.badRequest(
          t.kind()
              + " in version \""
              + t.version()
              + "\" cannot be handled as a "
              + t.kind()
              + ": "
              + UnknownFields.strictDecodingError(unknown, duplicated));
    }
    List<String> warnings = new ArrayList<>();
    duplicated.forEach(d -> warnings.add("duplicate field \"" + d + "\""));
    unknown.forEach(u -> warnings.add("unknown field \"" + u + "\""));
    warnings.forEach(ex::addWarning);
  }

  private static String mode(Exchange ex) {
    String mode = ex.query("fieldValidation");
    if (mode.isEmpty()) {
      return "Warn";
    }
    if (!List.of("Ignore", "Warn", "Strict").contains(mode)) {
      throw ApiException.badRequest(
          "fieldValidation: Unsupported value: \""
              + mode
              + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    }
    return mode;
  }
}
