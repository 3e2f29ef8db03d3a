package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads and writes the metav1.ObjectMeta fields the generic machinery owns. */
public final class ObjectMeta {
  // Upstream's generateName alphabet: no vowels (no words) and no confusable characters.
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SecureRandom UID_RANDOM = drbg();
  private static final byte[] UID_POOL = new byte[16 * 256];
  private static int uidNext = UID_POOL.length;

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

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

  /** A second and its formatted form: most writes in a second stamp that same second. */
  private record Stamp(long second, String text) {}

  private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

  /** RFC 3339 at second precision in UTC, as metav1.Time. */
  public static String timestamp(Instant t) {
    long second = t.getEpochSecond();
    Stamp s = lastStamp;
    if (s.second() != second) {
      s = new Stamp(second, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second)));
      lastStamp = s;
    }
    return s.text();
  }

  /**
   * A random (version 4) UUID for metadata.uid, from a DRBG drawn in batches: {@link
   * UUID#randomUUID()} reads the kernel's random device under a lock on every call, and a DRBG call
   * per UID costs about as much.
   */
  public static String newUid() {
    byte[] b = new byte[16];
    synchronized (UID_POOL) {
      if (uidNext == UID_POOL.length) {
        UID_RANDOM.nextBytes(UID_POOL);
        uidNext = 0;
      }
      System.arraycopy(UID_POOL, uidNext, b, 0, b.length);
      uidNext += b.length;
    }
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb).toString();
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
