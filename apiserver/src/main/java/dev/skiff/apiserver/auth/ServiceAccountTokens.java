package dev.skiff.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.skiff.apiserver.authz.ObjectCache;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * ServiceAccount JWTs, issued (TokenRequest) and verified as upstream: RS256 under the cluster's
 * key, bound tokens carrying {@code kubernetes.io} claims for the ServiceAccount and optionally the
 * Pod or Secret they are bound to, legacy Secret-based tokens with issuer {@code
 * kubernetes/serviceaccount}. A token is valid only while the objects it names still exist with the
 * same uid.
 */
public final class ServiceAccountTokens implements TokenAuthenticator {
  public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
  private static final String SA_PREFIX = "system:serviceaccount:";

  private final ServiceAccountKey key;
  private final String issuer;
  private final List<String> audiences;
  private final ObjectCache cache;
  private final Clock clock;
  private final String keyId;

  public ServiceAccountTokens(
      ServiceAccountKey key,
      String issuer,
      List<String> audiences,
      ObjectCache cache,
      Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.cache = cache;
    this.clock = clock;
    this.keyId = keyId(key);
  }

  public String issuer() {
    return issuer;
  }

  public List<String> audiences() {
    return audiences;
  }

  /** Upstream's key id: the unpadded base64url SHA-256 of the public key's DER encoding. */
  private static String keyId(ServiceAccountKey key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.publicKey().getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key set served at {@code /openid/v1/jwks}. */
  public Map<String, Object> jwks() {
    RSAKey jwk =
        new RSAKey.Builder(key.publicKey())
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256)
            .keyID(keyId)
            .build();
    return new JWKSet(jwk).toJSONObject(true);
  }

  /** What a bound token is bound to: a Pod or a Secret, or nothing. */
  public record BoundObject(String kind, String name, String uid) {}

  /** Issues a bound token for the ServiceAccount {@code sa} (an object from the store). */
  public String issue(
      JsonNode sa, List<String> tokenAudiences, Duration ttl, BoundObject bound, Instant now) {
    String ns = sa.path("metadata").path("namespace").asText();
    String name = sa.path("metadata").path("name").asText();
    Map<String, Object> k8s = new LinkedHashMap<>();
    k8s.put("namespace", ns);
    k8s.put(
        "serviceaccount", Map.of("name", name, "uid", sa.path("metadata").path("uid").asText()));
    if (bound != null) {
      k8s.put(
          bound.kind().toLowerCase(java.util.Locale.ROOT),
          Map.of("name", bound.name(), "uid", bound.uid()));
    }
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(SA_PREFIX + ns + ":" + name)
            .audience(tokenAudiences)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("kubernetes.io", k8s)
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key.privateKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service account token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  @Override
  public Optional<UserInfo> authenticate(String token) {
    return authenticate(token, audiences);
  }

  /** Verifies {@code token} for any of {@code wanted} audiences. */
  public Optional<UserInfo> authenticate(String token, List<String> wanted) {
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new RSASSAVerifier(key.publicKey()))) {
        return Optional.empty();
      }
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
    if (LEGACY_ISSUER.equals(claims.getIssuer())) {
      return legacy(claims);
    }
    if (!issuer.equals(claims.getIssuer())
        || claims.getAudience().stream().noneMatch(wanted::contains)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null
        || !claims.getExpirationTime().toInstant().isAfter(now)
        || (claims.getNotBeforeTime() != null
            && claims.getNotBeforeTime().toInstant().isAfter(now.plusSeconds(60)))) {
      return Optional.empty();
    }
    Object raw = claims.getClaim("kubernetes.io");
    if (!(raw instanceof Map<?, ?> k8s)) {
      return Optional.empty();
    }
    String ns = string(k8s.get("namespace"));
    Map<?, ?> saClaim = map(k8s.get("serviceaccount"));
    String saName = string(saClaim.get("name"));
    Optional<JsonNode> sa = live("serviceaccounts", ns, saName, string(saClaim.get("uid")));
    if (sa.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (String kind : List.of("pod", "secret")) {
      Map<?, ?> b = map(k8s.get(kind));
      if (b.isEmpty()) {
        continue;
      }
      if (live(kind + "s", ns, string(b.get("name")), string(b.get("uid"))).isEmpty()) {
        return Optional.empty();
      }
      extra.put("authentication.kubernetes.io/" + kind + "-name", List.of(string(b.get("name"))));
      extra.put("authentication.kubernetes.io/" + kind + "-uid", List.of(string(b.get("uid"))));
    }
    if (claims.getJWTID() != null) {
      extra.put("authentication.kubernetes.io/credential-id", List.of("JTI=" + claims.getJWTID()));
    }
    return Optional.of(user(ns, saName, string(saClaim.get("uid")), extra));
  }

  private Optional<UserInfo> legacy(JWTClaimsSet claims) {
    String ns = string(claims.getClaim("kubernetes.io/serviceaccount/namespace"));
    String name = string(claims.getClaim("kubernetes.io/serviceaccount/service-account.name"));
    String uid = string(claims.getClaim("kubernetes.io/serviceaccount/service-account.uid"));
    String secret = string(claims.getClaim("kubernetes.io/serviceaccount/secret.name"));
    if (live("serviceaccounts", ns, name, uid).isEmpty()) {
      return Optional.empty();
    }
    var s = cache.get("", "secrets", ns, secret);
    if (s.isEmpty()
        || !s.get()
            .path("metadata")
            .path("annotations")
            .path("kubernetes.io/service-account.uid")
            .asText()
            .equals(uid)) {
      return Optional.empty();
    }
    return Optional.of(user(ns, name, uid, Map.of()));
  }

  private Optional<JsonNode> live(String plural, String ns, String name, String uid) {
    if (ns.isEmpty() || name.isEmpty()) {
      return Optional.empty();
    }
    return cache
        .get("", plural, ns, name)
        .filter(o -> !o.path("metadata").has("deletionTimestamp"))
        .filter(o -> !uid.isEmpty() && o.path("metadata").path("uid").asText().equals(uid))
        .map(o -> o);
  }

  static UserInfo user(String ns, String name, String uid, Map<String, List<String>> extra) {
    return new UserInfo(
        SA_PREFIX + ns + ":" + name,
        uid,
        List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, UserInfo.AUTHENTICATED),
        extra);
  }

  private static String string(Object o) {
    return o instanceof String s ? s : "";
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }
}
