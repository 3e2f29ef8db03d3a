package dev.skiff.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/** IntOrString fields such as maxSurge that hold a count or a percentage like {@code 25%}. */
public final class IntOrPercent {

  private IntOrPercent() {}

  private static final String PERCENT_FMT = "[0-9]+%";

  /** Upstream's ValidatePositiveIntOrPercent: a non-negative count or a {@code N%} string. */
  public static List<FieldError> validate(JsonNode value, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (value == null || value.isNull() || value.isMissingNode()) {
      return errs;
    }
    if (value.isTextual()) {
      String s = value.asText();
      if (!s.matches(PERCENT_FMT)) {
        errs.add(
            FieldError.invalid(
                path,
                s,
                NameValidation.regexError(
                    "a valid percent string must be a numeric string followed by an ending '%'",
                    PERCENT_FMT, "1%", "93%")));
      }
    } else if (value.asLong() < 0) {
      errs.add(FieldError.invalid(path, value.asLong(), "must be greater than or equal to 0"));
    }
    return errs;
  }

  /**
   * Upstream's IsNotMoreThan100Percent, for fields where a share above the whole is meaningless.
   */
  public static List<FieldError> notMoreThan100Percent(JsonNode value, String path) {
    if (value != null && value.isTextual() && value.asText().matches(PERCENT_FMT)) {
      String s = value.asText();
      if (Long.parseLong(s.substring(0, s.length() - 1)) > 100) {
        return List.of(FieldError.invalid(path, s, "must not be greater than 100%"));
      }
    }
    return List.of();
  }

  /** True for 0 and "0%". */
  public static boolean isZero(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return true;
    }
    return value.isTextual() ? value.asText().equals("0%") : value.asLong() == 0;
  }

  /** {@code spec.x: Invalid value: -1: must be greater than or equal to 0} for a negative count. */
  public static List<FieldError> nonNegative(JsonNode value, String path) {
    if (value != null && value.isNumber() && value.asLong() < 0) {
      return List.of(
          FieldError.invalid(path, value.asLong(), "must be greater than or equal to 0"));
    }
    return List.of();
  }
}
