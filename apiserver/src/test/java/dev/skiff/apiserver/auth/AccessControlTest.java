package dev.skiff.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication over real TLS: certificates, tokens of every kind, anonymous, impersonation. */
class AccessControlTest {
  private static SecureServer server;
  private static HttpClient admin;
  private static HttpClient alice;
  private static HttpClient nobody;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.client("admin");
    alice = server.client("alice");
    nobody = server.client(null);
    assertEquals(
        201,
        server
            .send(
                admin,
                "POST",
                "/api/v1/namespaces/default/serviceaccounts",
                null,
                "{\"metadata\":{\"name\":\"default\"}}")
            .code());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.shutdownNow();
    alice.shutdownNow();
    nobody.shutdownNow();
    server.close();
  }

  static String serviceAccountToken(String name) throws Exception {
    SecureServer.Reply r =
        server.send(
            admin,
            "POST",
            "/api/v1/namespaces/default/serviceaccounts/" + name + "/token",
            null,
            "{\"spec\":{}}");
    assertEquals(201, r.code(), r.body());
    return r.json().path("status").path("token").asText();
  }

  @Test
  void requestsWithoutCredentialsGetUnauthorized() throws Exception {
    SecureServer.Reply r =
        server.send(nobody, "GET", "/api/v1/namespaces/default/pods", null, null);
    assertEquals(401, r.code());
    assertEquals("Unauthorized", r.json().path("reason").asText());
    assertEquals("Status", r.json().path("kind").asText());
    assertEquals(401, server.send(nobody, "GET", "/api", null, null).code());
    assertEquals(200, server.send(nobody, "GET", "/healthz", null, null).code());
    assertEquals(200, server.send(nobody, "GET", "/version", null, null).code());
  }

  @Test
  void adminCertificateMayDoAnything() throws Exception {
    assertEquals(
        200, server.send(admin, "GET", "/api/v1/namespaces/default/pods", null, null).code());
    assertEquals(200, server.send(admin, "GET", "/api/v1/nodes", null, null).code());
  }

  @Test
  void certificateNotSignedByTrustedCaIsRefused() throws Exception {
    // kubectl, as every Go client, presents its certificate whatever CAs the server names.
    SecureServer.Result r =
        server.kubectl(server.kubeconfig("rogue", "rogue", null), "get", "pods");
    assertTrue(r.exit() != 0 && r.output().contains("tls: unknown certificate"), r.output());
    HttpClient rogue = server.client("rogue");
    try {
      int code;
      try {
        code = server.send(rogue, "GET", "/api/v1/namespaces/default/pods", null, null).code();
      } catch (IOException e) {
        code = -1;
      }
      assertTrue(code == 401 || code == -1, "refused in the handshake or as unauthenticated");
    } finally {
      rogue.shutdownNow();
    }
  }

  @Test
  void unprivilegedServiceAccountIsForbiddenInUpstreamWords() throws Exception {
    String token = serviceAccountToken("default");
    SecureServer.Reply r =
        server.send(nobody, "GET", "/api/v1/namespaces/default/pods", token, null);
    assertEquals(403, r.code(), r.body());
    assertEquals(
        "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource"
            + " \"pods\" in API group \"\" in the namespace \"default\"",
        r.message());
    assertEquals("Forbidden", r.json().path("reason").asText());
    assertEquals("pods", r.json().path("details").path("kind").asText());
    // Discovery is open to every authenticated user.
    assertEquals(200, server.send(nobody, "GET", "/api", token, null).code());
  }

  @Test
  void tokenOfADeletedServiceAccountStopsWorking() throws Exception {
    server.send(
        admin,
        "POST",
        "/api/v1/namespaces/default/serviceaccounts",
        null,
        "{\"metadata\":{\"name\":\"shortlived\"}}");
    String token = serviceAccountToken("shortlived");
    assertEquals(
        403, server.send(nobody, "GET", "/api/v1/namespaces/default/pods", token, null).code());
    server.send(
        admin, "DELETE", "/api/v1/namespaces/default/serviceaccounts/shortlived", null, null);
    org.awaitility.Awaitility.await()
        .until(
            () ->
                server.send(nobody, "GET", "/api/v1/namespaces/default/pods", token, null).code()
                    == 401);
  }

  @Test
  void forgedAndExpiredServiceAccountTokensAreRefused() throws Exception {
    JsonNode sa =
        server
            .send(admin, "GET", "/api/v1/namespaces/default/serviceaccounts/default", null, null)
            .json();
    var gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    var pair = gen.generateKeyPair();
    var forger =
        new ServiceAccountTokens(
            new ServiceAccountKey(
                (RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic()),
            AuthOptions.DEFAULT_ISSUER,
            List.of(AuthOptions.DEFAULT_ISSUER),
            null,
            Clock.systemUTC());
    List<String> aud = List.of(AuthOptions.DEFAULT_ISSUER);
    String forged = forger.issue(sa, aud, Duration.ofHours(1), null, Instant.now());
    assertEquals(401, server.send(nobody, "GET", "/api", forged, null).code());

    var realKey = ServiceAccountKey.loadOrCreate(server.dir.resolve("tls").resolve("service.key"));
    var issuer =
        new ServiceAccountTokens(realKey, AuthOptions.DEFAULT_ISSUER, aud, null, Clock.systemUTC());
    String good = issuer.issue(sa, aud, Duration.ofHours(1), null, Instant.now());
    assertEquals(200, server.send(nobody, "GET", "/api", good, null).code());
    String expired =
        issuer.issue(sa, aud, Duration.ofHours(1), null, Instant.now().minus(Duration.ofHours(2)));
    assertEquals(401, server.send(nobody, "GET", "/api", expired, null).code());
    String otherAudience =
        issuer.issue(sa, List.of("vault"), Duration.ofHours(1), null, Instant.now());
    assertEquals(401, server.send(nobody, "GET", "/api", otherAudience, null).code());
    // A tampered payload breaks the signature.
    String[] parts = good.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(
                "system:serviceaccount:default:default", "system:serviceaccount:default:admin");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertEquals(401, server.send(nobody, "GET", "/api", tampered, null).code());
  }

  private static void bootstrapSecret(String id, String secret, Instant expiration)
      throws Exception {
    var enc = Base64.getEncoder();
    String body =
        """
        {"metadata":{"name":"bootstrap-token-%s"},"type":"bootstrap.kubernetes.io/token",
         "data":{"token-id":"%s","token-secret":"%s","usage-bootstrap-authentication":"%s",
                 "expiration":"%s"}}
        """
            .formatted(
                id,
                enc.encodeToString(id.getBytes(StandardCharsets.UTF_8)),
                enc.encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                enc.encodeToString("true".getBytes(StandardCharsets.UTF_8)),
                enc.encodeToString(expiration.toString().getBytes(StandardCharsets.UTF_8)));
    SecureServer.Reply r =
        server.send(admin, "POST", "/api/v1/namespaces/kube-system/secrets", null, body);
    assertEquals(201, r.code(), r.body());
  }

  @Test
  void bootstrapTokensAuthenticateUntilTheyExpire() throws Exception {
    bootstrapSecret("abcdef", "0123456789abcdef", Instant.now().plus(Duration.ofHours(1)));
    bootstrapSecret("zyxwvu", "0123456789abcdef", Instant.now().minus(Duration.ofMinutes(1)));
    org.awaitility.Awaitility.await().until(() -> whoami("abcdef.0123456789abcdef").code() == 201);
    JsonNode user = whoami("abcdef.0123456789abcdef").json().path("status").path("userInfo");
    assertEquals("system:bootstrap:abcdef", user.path("username").asText());
    assertTrue(user.path("groups").toString().contains("system:bootstrappers"));
    assertEquals(401, whoami("abcdef.0123456789abcdee").code(), "wrong secret");
    assertEquals(401, whoami("zyxwvu.0123456789abcdef").code(), "expired");
    assertEquals(401, whoami("qqqqqq.0123456789abcdef").code(), "unknown id");
    // A bootstrapper may ask for a certificate and nothing more.
    assertEquals(
        200,
        server
            .send(
                nobody,
                "GET",
                "/apis/certificates.k8s.io/v1/certificatesigningrequests",
                "abcdef.0123456789abcdef",
                null)
            .code());
    assertEquals(
        403,
        server
            .send(
                nobody,
                "GET",
                "/api/v1/namespaces/kube-system/secrets",
                "abcdef.0123456789abcdef",
                null)
            .code());
  }

  private static SecureServer.Reply whoami(String token) throws Exception {
    return server.send(
        nobody,
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        token,
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
  }

  @Test
  void staticTokenFileUsersHaveTheirGroups() throws Exception {
    JsonNode user = whoami(SecureServer.STATIC_TOKEN).json().path("status").path("userInfo");
    assertEquals("carol", user.path("username").asText());
    assertEquals("carol-uid", user.path("uid").asText());
    assertEquals("[\"devs\",\"testers\",\"system:authenticated\"]", user.path("groups").toString());
    assertEquals(401, whoami("not-a-token").code());
  }

  @Test
  void impersonationNeedsTheImpersonateVerb() throws Exception {
    var req =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.url() + "/api/v1/namespaces/default/pods"))
            .header("Impersonate-User", "bob");
    var r = alice.send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode());
    assertTrue(
        r.body()
            .contains(
                "users \\\"bob\\\" is forbidden: User \\\"alice\\\" cannot impersonate resource"
                    + " \\\"users\\\" in API group \\\"\\\" at the cluster scope"),
        r.body());
    var asAdmin = admin.send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, asAdmin.statusCode(), "the admin may impersonate bob, who may not list pods");
    assertTrue(asAdmin.body().contains("User \\\"bob\\\" cannot list"), asAdmin.body());
  }

  @Test
  void oidcDiscoveryServesTheIssuerAndKeys() throws Exception {
    SecureServer.Reply conf =
        server.send(nobody, "GET", "/.well-known/openid-configuration", null, null);
    assertEquals(200, conf.code());
    assertEquals(AuthOptions.DEFAULT_ISSUER, conf.json().path("issuer").asText());
    SecureServer.Reply jwks = server.send(nobody, "GET", "/openid/v1/jwks", null, null);
    assertEquals("RSA", jwks.json().path("keys").path(0).path("kty").asText());
    assertFalse(jwks.json().path("keys").path(0).has("d"), "never the private key");
  }

  @Test
  void webSocketExecNeedsCreateAsWellAsGet() throws Exception {
    assertEquals(
        201,
        server
            .send(
                admin,
                "POST",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
                null,
                "{\"metadata\":{\"name\":\"exec-get\"},\"rules\":[{\"apiGroups\":[\"\"],"
                    + "\"resources\":[\"pods/exec\"],\"verbs\":[\"get\"]}]}")
            .code());
    assertEquals(
        201,
        server
            .send(
                admin,
                "POST",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
                null,
                "{\"metadata\":{\"name\":\"exec-get\"},\"roleRef\":{\"apiGroup\":"
                    + "\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"exec-get\"},"
                    + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}")
            .code());
    org.awaitility.Awaitility.await()
        .until(
            () ->
                server
                    .send(
                        alice,
                        "GET",
                        "/api/v1/namespaces/default/pods/p/exec?command=sh",
                        null,
                        null)
                    .message()
                    .contains("cannot create resource \"pods/exec\""));
  }
}
