package dev.skiff.apiserver.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.storage.StorageException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets encrypted at rest: an API server over an {@link EncryptingStore} over an in-memory store
 * whose raw values the test inspects, read back through the API and with the real kubectl.
 */
class SecretsEncryptionTest {
  private static final String SECRET_KEY = "/registry/secrets/default/db";
  private static final String PASSWORD = "correct-horse-battery-staple";

  private Path dir;
  private Path file;
  private MemoryStore raw;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private ApiServer server;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("skiff-encryption-test");
    file = dir.resolve(EncryptionConfiguration.FILE);
    raw = new MemoryStore();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    raw.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private EncryptingStore startServer() throws Exception {
    EncryptingStore store = EncryptingStore.open(raw, file);
    open.add(store);
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    open.add(server);
    return store;
  }

  private int send(String method, String path, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private void createSecret() throws Exception {
    String b64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        201,
        send(
            "POST",
            "/api/v1/namespaces/default/secrets",
            "{\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"" + b64 + "\"}}"));
  }

  private String stored() {
    return new String(raw.get(SECRET_KEY).orElseThrow().value(), StandardCharsets.ISO_8859_1);
  }

  /** The password as the real kubectl shows it. */
  private String kubectlPassword() throws Exception {
    String out =
        new TestKubectl(dir, "http://127.0.0.1:" + server.port(), "default")
            .ok("get", "secret", "db", "-n", "default", "-o", "jsonpath={.data.password}");
    return new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
  }

  @Test
  void secretsAreStoredUnderAesGcmAndReadBackInTheClear() throws Exception {
    EncryptingStore.ensureConfiguration(file);
    startServer();
    createSecret();
    String value = stored();
    assertTrue(value.startsWith("k8s:enc:aesgcm:v1:key-1:"), value);
    assertFalse(value.contains(PASSWORD));
    assertFalse(value.contains(Base64.getEncoder().encodeToString(PASSWORD.getBytes())));
    assertFalse(value.contains("\"kind\""), "no JSON is left readable");
    assertEquals(PASSWORD, kubectlPassword());
    // GCM authenticates the value and the key it is stored under.
    ValueTransformer t = new ValueTransformer(EncryptionConfiguration.read(file));
    byte[] sealed = raw.get(SECRET_KEY).orElseThrow().value();
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThrows(StorageException.class, () -> t.decrypt(SECRET_KEY, tampered));
    assertThrows(
        StorageException.class, () -> t.decrypt("/registry/secrets/default/other", sealed));
    // Other resources stay as they were.
    assertEquals(
        201,
        send("POST", "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"c\"}}"));
    assertTrue(
        new String(raw.get("/registry/configmaps/default/c").orElseThrow().value())
            .startsWith("{"));
  }

  @Test
  void plaintextSecretsFromBeforeEncryptionAreReadAndRewrittenEncrypted() throws Exception {
    String plain =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":"
            + "\"default\",\"uid\":\"u1\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
            + "\"data\":{\"password\":\""
            + Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8))
            + "\"}}";
    raw.create(SECRET_KEY, plain.getBytes(StandardCharsets.UTF_8), 0);
    EncryptingStore.ensureConfiguration(file);
    startServer();
    assertTrue(stored().startsWith("k8s:enc:aesgcm:v1:key-1:"), stored());
    assertEquals(PASSWORD, kubectlPassword());
  }

  @Test
  void rotationPutsEverySecretUnderTheNewKeyAndOldKeysStillRead() throws Exception {
    EncryptingStore.ensureConfiguration(file);
    EncryptingStore store = startServer();
    createSecret();
    EncryptionConfiguration first = store.configuration();

    EncryptionConfiguration.read(file).rotated().write(file);
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    store.reloadIfChanged();
    assertEquals("aesgcm/key-2", store.configuration().primary());
    assertTrue(stored().startsWith("k8s:enc:aesgcm:v1:key-2:"), stored());
    assertEquals(PASSWORD, kubectlPassword());

    // Without the key that wrote it, a value cannot be read: the keys are what protects it.
    ValueTransformer onlyFirst = new ValueTransformer(first);
    byte[] value = raw.get(SECRET_KEY).orElseThrow().value();
    assertThrows(StorageException.class, () -> onlyFirst.decrypt(SECRET_KEY, value));
  }

  @Test
  void anAescbcConfigurationWritesUpstreamsFormat() throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    Files.writeString(
        file,
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aescbc:
                  keys:
                    - name: cbc1
                      secret: %s
              - identity: {}
        """
            .formatted(key));
    startServer();
    createSecret();
    assertTrue(stored().startsWith("k8s:enc:aescbc:v1:cbc1:"), stored());
    assertEquals(PASSWORD, kubectlPassword());
    ValueTransformer t = new ValueTransformer(EncryptionConfiguration.read(file));
    byte[] value = raw.get(SECRET_KEY).orElseThrow().value();
    assertEquals(
        "Secret",
        new ObjectMapper()
            .readTree(t.decrypt(SECRET_KEY, value).plaintext())
            .path("kind")
            .asText());
  }

  @Test
  void aBrokenConfigurationIsRefusedWithItsReason() throws Exception {
    Files.writeString(
        file,
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aesgcm:
                  keys:
                    - name: short
                      secret: c2hvcnQ=
        """);
    var e = assertThrows(IllegalArgumentException.class, () -> EncryptionConfiguration.read(file));
    assertTrue(
        e.getMessage().contains("key short must be 16, 24 or 32 bytes, not 5"), e.getMessage());
  }
}
