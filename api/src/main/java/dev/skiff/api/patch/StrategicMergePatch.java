package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** Applies a strategic merge patch using the merge keys and strategies of {@code javaType}. */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  public static JsonNode apply(JsonNode original, JsonNode patch, Class<?> javaType) {
    throw new PatchException("strategic merge patch is not implemented yet");
  }
}
