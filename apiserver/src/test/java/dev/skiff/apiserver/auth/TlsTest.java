package dev.skiff.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.Keytool;
import dev.skiff.apiserver.testing.MemoryStore;
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS with HTTP/2 by ALPN, and users named by their client certificates. */
class TlsTest {
  private static final char[] PASS = "changeit".toCharArray();
  private static Path dir;

  @BeforeAll
  static void keys() throws Exception {
    dir = Files.createTempDirectory("tls-test");
    Keytool.addKey(dir.resolve("server.p12"), "server", "CN=skiff", "SAN=ip:127.0.0.1");
    Keytool.addKey(dir.resolve("client.p12"), "alice", "CN=alice, O=devs, O=ops");
  }

  @AfterAll
  static void clean() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static KeyStore load(String name) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(dir.resolve(name).toFile())) {
      ks.load(in, PASS);
    }
    return ks;
  }

  private static KeyStore trusting(KeyStore source, String alias) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry(alias, source.getCertificate(alias));
    return ts;
  }

  @Test
  void servesHttp2OverTlsAndAsksForClientCertificates() throws Exception {
    KeyStore server = load("server.p12");
    KeyStore client = load("client.p12");
    var config = new ApiServerConfig("127.0.0.1", 0, server, PASS, trusting(client, "alice"));
    try (MemoryStore store = new MemoryStore();
        ApiServer api = new ApiServer(config, store, new BuiltinRegistry())) {
      api.start();
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(client, PASS);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusting(server, "server"));
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      HttpClient http =
          HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("https://127.0.0.1:" + api.port() + "/api/v1/namespaces/default"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      HttpClient anonymous = HttpClient.newBuilder().sslContext(trustOnly(server)).build();
      assertEquals(
          200,
          anonymous
              .send(
                  HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode(),
          "client certificates are optional");
      http.shutdownNow();
      anonymous.shutdownNow();
    }
  }

  private static SSLContext trustOnly(KeyStore server) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusting(server, "server"));
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  @Test
  void userComesFromCommonNameAndOrganizations() throws Exception {
    X509Certificate cert = (X509Certificate) load("client.p12").getCertificate("alice");
    UserInfo user = RequestAuthenticator.fromCertificate(cert);
    assertEquals("alice", user.name());
    assertEquals(List.of("ops", "devs", "system:authenticated"), user.groups());
  }
}
