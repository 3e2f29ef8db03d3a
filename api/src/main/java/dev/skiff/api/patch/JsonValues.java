package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON equality as a user means it: {@code 1} equals {@code 1.0}, member order does not matter. */
final class JsonValues {
  private JsonValues() {}

  static boolean equal(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) -> {
          if (x.equals(y)) {
            return 0;
          }
          if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
          }
          return 1;
        },
        b);
  }
}
