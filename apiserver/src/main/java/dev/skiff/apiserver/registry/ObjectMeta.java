package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the metav1.ObjectMeta fields the generic machinery owns. */
public final class ObjectMeta {
  // Upstream's generateName alphabet: no vowels (no words) and no confusable characters.
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectMeta() {}

  public static String name(JsonNode obj) {
    return Json.text(obj.path("metadata"), "name");
  }

  public static String namespace(JsonNode obj) {
    return Json.text(obj.path("metadata"), "namespace");
  }

  public static String resourceVersion(JsonNode obj) {
    return Json.text(obj.path("metadata"), "resourceVersion");
  }

  public static String uid(JsonNode obj) {
    return Json.text(obj.path("metadata"), "uid");
  }

  public static boolean isDeleting(JsonNode obj) {
    JsonNode ts = obj.path("metadata").get("deletionTimestamp");
    return ts != null && !ts.isNull();
  }

  public static List<String> finalizers(JsonNode obj) {
    List<String> out = new ArrayList<>();
    obj.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
    return out;
  }

  public static void setFinalizers(ObjectNode obj, List<String> finalizers) {
    ObjectNode m = Json.metadata(obj);
    if (finalizers.isEmpty()) {
      m.remove("finalizers");
      return;
    }
    ArrayNode arr = m.putArray("finalizers");
    finalizers.forEach(arr::add);
  }

  /** RFC 3339 at second precision in UTC, as metav1.Time. */
  public static String timestamp(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String generateName(String base) {
    // Upstream trims the base so the result stays within 63 characters.
    String prefix = base.length() > 58 ? base.substring(0, 58) : base;
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
    }
    return sb.toString();
  }

  /** Everything but metadata and status: what a generation bump compares. */
  public static boolean specChanged(ObjectNode a, ObjectNode b) {
    ObjectNode x = a.deepCopy();
    ObjectNode y = b.deepCopy();
    for (String f : List.of("metadata", "status", "apiVersion", "kind")) {
      x.remove(f);
      y.remove(f);
    }
    return !x.equals(y);
  }
}
