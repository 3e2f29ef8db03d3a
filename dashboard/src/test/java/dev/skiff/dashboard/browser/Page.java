package dev.skiff.dashboard.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Map;

/** One browser tab: navigate, run JavaScript in the page, take screenshots. */
public final class Page implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CdpSession session;

  Page(CdpSession session) {
    this.session = session;
    session.send(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
  }

  public void navigate(String url) {
    JsonNode r = session.send("Page.navigate", Map.of("url", url));
    if (r.hasNonNull("errorText")) {
      throw new IllegalStateException("cannot open " + url + ": " + r.get("errorText").asText());
    }
  }

  /**
   * Evaluates an expression (awaiting a promise) and returns its JSON value; throws what it threw.
   */
  public JsonNode evaluate(String expression) {
    JsonNode r =
        session.send(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(
          "page threw: " + r.get("exceptionDetails").path("exception").path("description"));
    }
    return r.path("result").path("value");
  }

  /** The trimmed text of the first element matching the CSS selector, or null when none does. */
  public String text(String selector) {
    JsonNode v =
        evaluate(
            "(() => { const e = document.querySelector("
                + quote(selector)
                + "); return e ? e.textContent.trim() : null; })()");
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  /** Clicks the first element matching the selector, as a user's click would. */
  public void click(String selector) {
    JsonNode clicked =
        evaluate(
            "(() => { const e = document.querySelector("
                + quote(selector)
                + "); if (!e) return false; e.click(); return true; })()");
    if (!clicked.asBoolean()) {
      throw new IllegalStateException("nothing to click at " + selector);
    }
  }

  /** Types into an input, replacing its value, and tells the page it changed. */
  public void fill(String selector, String value) {
    evaluate(
        "(() => { const e = document.querySelector("
            + quote(selector)
            + "); e.value = "
            + quote(value)
            + "; e.dispatchEvent(new Event('input', {bubbles: true})); })()");
  }

  /** A PNG of the viewport. */
  public byte[] screenshot() {
    String data =
        session.send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
    return Base64.getDecoder().decode(data);
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
