package dev.skiff.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.authz.ObjectCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Upstream's bootstrap token authenticator: {@code <id>.<secret>} is valid while the Secret {@code
 * kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token} holds that
 * secret, allows authentication and has not expired. The user is {@code system:bootstrap:<id>} in
 * {@code system:bootstrappers} and the token's extra groups.
 */
public final class BootstrapTokens implements TokenAuthenticator {
  public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
  public static final String SECRET_PREFIX = "bootstrap-token-";
  public static final String GROUP = "system:bootstrappers";
  public static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");

  private final ObjectCache cache;
  private final Clock clock;

  public BootstrapTokens(ObjectCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
  }

  @Override
  public Optional<UserInfo> authenticate(String token) {
    var m = TOKEN.matcher(token);
    if (!m.matches()) {
      return Optional.empty();
    }
    String id = m.group(1);
    var secret = cache.get("", "secrets", "kube-system", SECRET_PREFIX + id);
    if (secret.isEmpty() || !secret.get().path("type").asText().equals(SECRET_TYPE)) {
      return Optional.empty();
    }
    JsonNode data = secret.get().path("data");
    if (!field(data, "token-id").equals(id)
        || !MessageDigest.isEqual(
            field(data, "token-secret").getBytes(StandardCharsets.UTF_8),
            m.group(2).getBytes(StandardCharsets.UTF_8))
        || !field(data, "usage-bootstrap-authentication").equals("true")
        || expired(field(data, "expiration"))
        || secret.get().path("metadata").has("deletionTimestamp")) {
      return Optional.empty();
    }
    List<String> groups = new ArrayList<>(List.of(GROUP));
    for (String g : field(data, "auth-extra-groups").split(",")) {
      if (g.startsWith(GROUP + ":")) {
        groups.add(g);
      }
    }
    groups.add(UserInfo.AUTHENTICATED);
    return Optional.of(new UserInfo("system:bootstrap:" + id, "", groups, Map.of()));
  }

  private boolean expired(String expiration) {
    if (expiration.isEmpty()) {
      return false;
    }
    try {
      return !Instant.parse(expiration).isAfter(clock.instant());
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  private static String field(JsonNode data, String key) {
    JsonNode v = data.path(key);
    if (!v.isTextual()) {
      return "";
    }
    try {
      return new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
