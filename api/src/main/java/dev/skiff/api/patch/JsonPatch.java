package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** Applies a patch document to a JSON object without modifying the input. */
public final class JsonPatch {
  private JsonPatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    throw new PatchException("JsonPatch is not implemented yet");
  }
}
