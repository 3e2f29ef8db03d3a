package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** Applies a patch document to a JSON object without modifying the input. */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    throw new PatchException("JsonMergePatch is not implemented yet");
  }
}
