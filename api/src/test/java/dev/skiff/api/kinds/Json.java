package dev.skiff.api.kinds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Test objects written with single quotes, so they read like the YAML users write. */
public final class Json {

  private Json() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static ObjectNode obj(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
