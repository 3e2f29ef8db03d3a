package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} of a paged list: the revision the first page was read at and the key
 * after which the next page starts, so every page comes from one consistent snapshot.
 */
public record ContinueToken(long revision, String startAfter) {

  public String encode() {
    ObjectNode o = Json.object();
    o.put("v", "meta.k8s.io/v1");
    o.put("rv", revision);
    o.put("start", startAfter);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(o));
  }

  /** Decodes a token; it must point inside {@code prefix}. */
  public static ContinueToken decode(String token, String prefix) {
    try {
      ObjectNode o =
          Json.parseObject(
              new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8)
                  .getBytes(StandardCharsets.UTF_8));
      long rv = o.path("rv").asLong(0);
      String start = o.path("start").asText("");
      if (!"meta.k8s.io/v1".equals(o.path("v").asText()) || rv <= 0 || !start.startsWith(prefix)) {
        throw new IllegalArgumentException();
      }
      return new ContinueToken(rv, start);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("continue key is not valid: " + token);
    }
  }
}
