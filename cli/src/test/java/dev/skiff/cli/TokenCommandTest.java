package dev.skiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.kubeconfig.Kubeconfig;
import dev.skiff.cli.testing.SecuredApiServer;
import dev.skiff.cli.testing.SkiffRun;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff token} against a secured API server on the cluster PKI: the printed token carries
 * the CA hash and authenticates as {@code system:bootstrap:<id>} until deleted.
 */
class TokenCommandTest {
  @TempDir Path dataDir;
  private SecuredApiServer api;

  @BeforeEach
  void start() throws Exception {
    api = new SecuredApiServer(dataDir);
    new Kubeconfig(
            "skiff",
            api.url(),
            api.pki,
            api.pki.client("admin", "system:admin", List.of("system:masters")))
        .write(dataDir.resolve("kubeconfig.yaml"));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  private String skiff(String... args) {
    return SkiffRun.ok(
        Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString()))
            .toArray(String[]::new));
  }

  private String whoami(String token) throws Exception {
    Config cfg = Config.fromKubeconfig(Files.readString(dataDir.resolve("kubeconfig.yaml")));
    cfg.setClientCertData(null);
    cfg.setClientKeyData(null);
    cfg.setClientCertFile(null);
    cfg.setClientKeyFile(null);
    cfg.setOauthToken(token);
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(cfg).build()) {
      return c.raw(
          api.url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          "POST",
          "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    }
  }

  @Test
  void createdTokenCarriesTheCaHashAndAuthenticatesUntilDeleted() throws Exception {
    String printed = skiff("token", "create", "--ttl", "1h", "--description", "node two").trim();
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(dataDir.resolve("tls").resolve("ca.crt"))));
    assertTrue(printed.matches("K10" + hash + "::[a-z0-9]{6}\\.[a-z0-9]{16}"), printed);
    String token = printed.substring(printed.indexOf("::") + 2);
    String id = token.substring(0, 6);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> String.valueOf(whoami(token)).contains("system:bootstrap:" + id));

    String list = skiff("token", "list");
    assertTrue(list.startsWith("TOKEN"), list);
    assertTrue(list.contains(token) && list.contains("node two"), list);
    assertTrue(list.contains("authentication,signing"), list);

    assertTrue(skiff("token", "delete", id).contains("deleted"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try {
                return !String.valueOf(whoami(token)).contains("system:bootstrap");
              } catch (RuntimeException e) {
                return true;
              }
            });
    assertFalse(skiff("token", "list").contains(token));
  }

  @Test
  void ttlIsAGoDuration() {
    assertEquals(Duration.ofHours(24), TokenCommand.parseDuration("24h"));
    assertEquals(Duration.ofMinutes(90), TokenCommand.parseDuration("1h30m"));
    assertEquals(Duration.ZERO, TokenCommand.parseDuration("0"));
    assertThrows(UserError.class, () -> TokenCommand.parseDuration("tomorrow"));
    assertThrows(UserError.class, () -> TokenCommand.parseDuration("5d"));
  }
}
