package dev.skiff.apiserver.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WatchFrameTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void framesAreAsciiAndCarryTheSameText() throws Exception {
    String text = "grüße — 日本 \uD83D\uDE80 \"quoted\" \\ end";
    byte[] object =
        JSON.writeValueAsBytes(JSON.createObjectNode().put("kind", "ConfigMap").put("note", text));

    byte[] frame = WatchFrame.encode("ADDED", object);

    for (byte b : frame) {
      assertTrue(b >= 0, "non-ASCII byte in " + new String(frame, StandardCharsets.UTF_8));
    }
    assertEquals('\n', frame[frame.length - 1]);
    JsonNode event = JSON.readTree(frame);
    assertEquals("ADDED", event.path("type").asText());
    assertEquals(text, event.path("object").path("note").asText());
  }

  @Test
  void asciiJsonIsUsedAsItIs() {
    byte[] json = "{\"a\":\"plain\"}".getBytes(StandardCharsets.UTF_8);
    assertSame(json, WatchFrame.ascii(json));
  }
}
