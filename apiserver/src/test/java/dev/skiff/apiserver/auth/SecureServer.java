package dev.skiff.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.Keytool;
import dev.skiff.apiserver.testing.MemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real API server over TLS with access control on an in-memory store: client certificates made by
 * keytool for an admin ({@code O=system:masters}) and an unprivileged user, a static token file,
 * and helpers to call it over HTTPS or with the real kubectl.
 */
public final class SecureServer {
  public static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  static final String STATIC_TOKEN = "static-token-for-carol-0123456789";
  private static final char[] PASS = "changeit".toCharArray();

  final Path dir;
  final MemoryStore store = new MemoryStore();
  final ApiServer api;
  private final KeyStore serverKeys;
  private final KeyStore clientKeys;

  /** Identities with a client certificate: alias to subject. */
  private static final List<String[]> CLIENTS =
      List.of(
          new String[] {"admin", "CN=skiff-admin, O=system:masters"},
          new String[] {"alice", "CN=alice, O=devs"},
          new String[] {"rogue", "CN=rogue, O=system:masters"});

  public static SecureServer start() throws Exception {
    return new SecureServer();
  }

  private SecureServer() throws Exception {
    dir = Files.createTempDirectory("skiff-secure-test");
    serverKeys =
        Keytool.addKey(dir.resolve("server.p12"), "server", "CN=skiff", "SAN=ip:127.0.0.1");
    KeyStore clients = null;
    for (String[] c : CLIENTS) {
      clients = Keytool.addKey(dir.resolve("clients.p12"), c[0], c[1]);
    }
    clientKeys = clients;
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    // The rogue's certificate claims system:masters but no trusted CA vouches for it.
    trusted.setCertificateEntry("admin", clientKeys.getCertificate("admin"));
    trusted.setCertificateEntry("alice", clientKeys.getCertificate("alice"));
    Files.writeString(
        dir.resolve("tokens.csv"), STATIC_TOKEN + ",carol,carol-uid,\"devs,testers\"\n");
    AuthOptions auth = AuthOptions.forDataDir(dir).withTokenAuthFile(dir.resolve("tokens.csv"));
    api =
        new ApiServer(
            new ApiServerConfig("127.0.0.1", 0, serverKeys, PASS, trusted).withAuth(auth),
            store,
            new BuiltinRegistry());
    api.start();
  }

  /** The running API server, for settings that apply while it runs. */
  public ApiServer apiServer() {
    return api;
  }

  public String url() {
    return "https://127.0.0.1:" + api.port();
  }

  /** An HTTPS client presenting {@code alias}'s certificate; null alias for none. */
  public HttpClient client(String alias) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("server", serverKeys.getCertificate("server"));
    tmf.init(ts);
    SSLContext ssl = SSLContext.getInstance("TLS");
    if (alias == null) {
      ssl.init(null, tmf.getTrustManagers(), null);
    } else {
      KeyStore one = KeyStore.getInstance("PKCS12");
      one.load(null, null);
      one.setKeyEntry(
          alias,
          clientKeys.getKey(alias, PASS),
          PASS,
          new Certificate[] {clientKeys.getCertificate(alias)});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(one, PASS);
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
  }

  public record Reply(int code, JsonNode json, String body) {
    public String message() {
      return json.path("message").asText();
    }
  }

  /** Sends a request; {@code token} adds a bearer token, {@code body} a JSON body. */
  public Reply send(HttpClient client, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path));
    b.header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = JSON_MAPPER.readTree(r.body());
    } catch (IOException e) {
      json = JSON_MAPPER.createObjectNode();
    }
    return new Reply(
        r.statusCode(), json == null ? JSON_MAPPER.createObjectNode() : json, r.body());
  }

  /** Writes a kubeconfig for {@code alias}'s certificate, or for {@code token} when given. */
  public Path kubeconfig(String name, String alias, String token) throws Exception {
    StringBuilder user = new StringBuilder();
    if (token != null) {
      user.append("    token: ").append(token).append('\n');
    } else {
      user.append("    client-certificate-data: ")
          .append(b64(pem("CERTIFICATE", clientKeys.getCertificate(alias).getEncoded())))
          .append('\n');
      user.append("    client-key-data: ")
          .append(
              b64(pem("PRIVATE KEY", ((PrivateKey) clientKeys.getKey(alias, PASS)).getEncoded())))
          .append('\n');
    }
    String config =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: default
        current-context: test
        users:
        - name: test
          user:
        %s"""
            .formatted(
                url(),
                b64(pem("CERTIFICATE", serverKeys.getCertificate("server").getEncoded())),
                user);
    return Files.writeString(dir.resolve(name + ".kubeconfig"), config);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  public record Result(int exit, String output) {}

  /** Runs the real kubectl with {@code kubeconfig}. */
  public Result kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        Stream.concat(
                Stream.of(
                    "kubectl",
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString()),
                Stream.of(args))
            .toList();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  public void close() throws Exception {
    api.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
