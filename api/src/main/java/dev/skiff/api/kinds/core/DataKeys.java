package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/** The rules ConfigMaps and Secrets share: key syntax, a size limit, and the immutable flag. */
final class DataKeys {

  private DataKeys() {}

  /** Upstream's MaxSecretSize, which also bounds a ConfigMap. */
  static final int MAX_SIZE = 1024 * 1024;

  static List<FieldError> keys(JsonNode data, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (var e : data.properties()) {
      for (String msg : NameValidation.configMapKey(e.getKey())) {
        errs.add(FieldError.invalid(field + "[" + e.getKey() + "]", e.getKey(), msg));
      }
    }
    return errs;
  }

  /** With {@code immutable: true} stored, the data and the flag itself stay as they are. */
  static List<FieldError> immutable(ObjectNode obj, ObjectNode old, List<String> fields) {
    List<FieldError> errs = new ArrayList<>();
    if (!old.path("immutable").asBoolean(false)) {
      return errs;
    }
    for (String f : fields) {
      if (!obj.path(f).equals(old.path(f))) {
        errs.add(FieldError.forbidden(f, "field is immutable when `immutable` is set"));
      }
    }
    if (!obj.path("immutable").asBoolean(false)) {
      errs.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    return errs;
  }
}
