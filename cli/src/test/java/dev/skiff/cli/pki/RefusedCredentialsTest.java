package dev.skiff.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.auth.AuthOptions;
import dev.skiff.apiserver.auth.ServiceAccountKey;
import dev.skiff.cli.testing.SecuredApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials an attacker could present to a server on the cluster PKI: certificates from another
 * CA or past their expiry, and service-account tokens with no signature or one made with the public
 * key as an HMAC secret. Each is refused where the genuine one works.
 */
class RefusedCredentialsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dataDir;
  @TempDir Path otherCluster;
  private ClusterPki pki;
  private SecuredApiServer api;
  private final List<HttpClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    api = new SecuredApiServer(dataDir);
    pki = api.pki;
  }

  @AfterEach
  void stop() {
    clients.forEach(HttpClient::shutdownNow);
    api.close();
  }

  private HttpClient client(ClusterPki issuer, ClusterPki.Leaf cert) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(pki.clientCaTrustStore());
    SSLContext ssl = SSLContext.getInstance("TLS");
    if (cert == null) {
      ssl.init(null, tmf.getTrustManagers(), null);
    } else {
      KeyStore keys = issuer.keyStore(cert);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, ClusterPki.keyStorePassword());
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }
    HttpClient c =
        HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    clients.add(c);
    return c;
  }

  /** The status code, or -1 when the TLS handshake itself refused the client. */
  private int send(HttpClient c, String method, String path, String token, String body)
      throws Exception {
    var req =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    try {
      return c.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void assertRefused(int code, String what) {
    if (code != 401 && code != -1) {
      throw new AssertionError(what + ": want 401 or a refused handshake, got " + code);
    }
  }

  @Test
  void certificatesFromAnotherCaOrPastExpiryAreRefused() throws Exception {
    var admin = pki.client("admin", "system:admin", List.of("system:masters"));
    assertEquals(
        200, send(client(pki, admin), "GET", "/api/v1/namespaces/default/pods", null, null));

    ClusterPki stranger = ClusterPki.loadOrCreate(otherCluster);
    var foreignAdmin = stranger.client("admin", "system:admin", List.of("system:masters"));
    assertRefused(
        send(client(stranger, foreignAdmin), "GET", "/api/v1/namespaces/default/pods", null, null),
        "admin certificate of another cluster's CA");

    var ca = CertificateAuthority.loadOrCreate(dataDir.resolve("tls"), "ca", "skiff-ca");
    var expired =
        ca.issue(
            "system:admin",
            List.of("system:masters"),
            List.of(),
            List.of(),
            false,
            Duration.ofMinutes(-1));
    assertRefused(
        send(
            client(pki, new ClusterPki.Leaf(expired.certificate(), expired.key())),
            "GET",
            "/api/v1/namespaces/default/pods",
            null,
            null),
        "expired admin certificate of the cluster's own CA");
  }

  @Test
  void serviceAccountTokensWithoutOrWithAForgedSignatureAreRefused() throws Exception {
    HttpClient admin = client(pki, pki.client("admin", "system:admin", List.of("system:masters")));
    assertEquals(
        201,
        send(
            admin,
            "POST",
            "/api/v1/namespaces/default/serviceaccounts",
            null,
            "{\"metadata\":{\"name\":\"builder\"}}"));
    var review =
        admin.send(
            HttpRequest.newBuilder(
                    URI.create(
                        api.url() + "/api/v1/namespaces/default/serviceaccounts/builder/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\":{}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, review.statusCode(), review.body());
    String token = JSON.readTree(review.body()).path("status").path("token").asText();
    HttpClient anonymous = client(pki, null);
    assertEquals(200, send(anonymous, "GET", "/api", token, null), "the genuine token");

    String payload = token.split("\\.")[1];
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
    assertEquals(401, send(anonymous, "GET", "/api", none, null), "alg none");

    // The verifying key used as an HMAC secret: the classic algorithm-confusion forgery.
    String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    Mac mac = Mac.getInstance("HmacSHA256");
    var publicKey =
        ServiceAccountKey.loadOrCreate(AuthOptions.forDataDir(dataDir).serviceAccountKeyFile())
            .publicKey();
    String publicPem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String signature =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        401,
        send(anonymous, "GET", "/api", header + "." + payload + "." + signature, null),
        "HS256");
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
