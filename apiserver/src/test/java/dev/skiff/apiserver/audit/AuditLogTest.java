package dev.skiff.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.auth.SecureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log of a TLS API server with access control, driven by the real kubectl as the admin
 * and as an unprivileged user: one audit.k8s.io/v1 Event per request, bodies for writes, never a
 * Secret's.
 */
class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "hunter2-the-audit-must-not-see";

  private static SecureServer server;
  private static Path dir;
  private static Path logFile;
  private static AuditLog log;
  private static Path admin;
  private static Path alice;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    dir = Files.createTempDirectory("skiff-audit-test");
    logFile = dir.resolve("audit/audit.log");
    log = AuditLog.open(logFile);
    server.apiServer().setAuditLog(log);
    admin = server.kubeconfig("admin", "admin", null);
    alice = server.kubeconfig("alice", "alice", null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.apiServer().setAuditLog(null);
    log.close();
    server.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static List<JsonNode> events() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(logFile)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /**
   * The one event {@code which} matches. An event is written once the response has gone out, so it
   * may land just after kubectl has exited: wait for it.
   */
  private static JsonNode only(Predicate<JsonNode> which) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    List<JsonNode> found = events().stream().filter(which).toList();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      found = events().stream().filter(which).toList();
    }
    assertEquals(1, found.size(), found.toString());
    return found.getFirst();
  }

  private static Predicate<JsonNode> request(String verb, String resource, String name) {
    return e ->
        e.path("verb").asText().equals(verb)
            && e.path("objectRef").path("resource").asText().equals(resource)
            && e.path("objectRef").path("name").asText().equals(name);
  }

  @Test
  void aWriteIsLoggedWithWhoWhatWhereAndBothBodies() throws Exception {
    var r = server.kubectl(admin, "create", "configmap", "audited", "--from-literal=colour=teal");
    assertEquals(0, r.exit(), r.output());
    JsonNode e =
        only(
            request("create", "configmaps", "")
                .and(
                    x ->
                        x.path("requestObject")
                            .path("metadata")
                            .path("name")
                            .asText()
                            .equals("audited")));
    assertEquals("audit.k8s.io/v1", e.path("apiVersion").asText());
    assertEquals("Event", e.path("kind").asText());
    assertEquals("RequestResponse", e.path("level").asText());
    assertEquals("ResponseComplete", e.path("stage").asText());
    assertTrue(e.path("auditID").asText().matches("[0-9a-f-]{36}"), e.toString());
    assertTrue(
        e.path("requestURI").asText().startsWith("/api/v1/namespaces/default/configmaps"),
        e.toString());
    assertEquals("skiff-admin", e.path("user").path("username").asText());
    assertTrue(e.path("user").path("groups").toString().contains("system:masters"));
    assertEquals("127.0.0.1", e.path("sourceIPs").get(0).asText());
    assertTrue(e.path("userAgent").asText().startsWith("kubectl"), e.toString());
    assertEquals("default", e.path("objectRef").path("namespace").asText());
    assertEquals("v1", e.path("objectRef").path("apiVersion").asText());
    assertEquals(201, e.path("responseStatus").path("code").asInt());
    assertEquals("teal", e.path("requestObject").path("data").path("colour").asText());
    assertEquals("audited", e.path("responseObject").path("metadata").path("name").asText());
    assertTrue(
        e.path("responseObject").path("metadata").path("uid").asText().length() > 0, "stored");
    assertTrue(
        e.path("requestReceivedTimestamp")
            .asText()
            .matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{6}Z"),
        e.toString());
    assertTrue(
        e.path("stageTimestamp").asText().compareTo(e.path("requestReceivedTimestamp").asText())
            >= 0);

    var get = server.kubectl(admin, "get", "configmap", "audited");
    assertEquals(0, get.exit(), get.output());
    JsonNode read = only(request("get", "configmaps", "audited"));
    assertEquals("Metadata", read.path("level").asText());
    assertTrue(read.path("responseObject").isMissingNode());
    assertEquals(200, read.path("responseStatus").path("code").asInt());
  }

  @Test
  void secretsAreLoggedWithoutTheirBodies() throws Exception {
    var r =
        server.kubectl(
            admin, "create", "secret", "generic", "audited", "--from-literal=password=" + PASSWORD);
    assertEquals(0, r.exit(), r.output());
    var get = server.kubectl(admin, "get", "secret", "audited", "-o", "yaml");
    assertEquals(0, get.exit(), get.output());
    JsonNode create =
        events().stream()
            .filter(request("create", "secrets", ""))
            .filter(e -> e.path("responseStatus").path("code").asInt() == 201)
            .findFirst()
            .orElseThrow();
    assertEquals("Metadata", create.path("level").asText());
    assertTrue(create.path("requestObject").isMissingNode());
    assertTrue(create.path("responseObject").isMissingNode());
    String all = Files.readString(logFile);
    assertFalse(all.contains(PASSWORD));
    assertFalse(all.contains(java.util.Base64.getEncoder().encodeToString(PASSWORD.getBytes())));
  }

  @Test
  void refusedRequestsAreLoggedWithTheirStatus() throws Exception {
    var r = server.kubectl(alice, "get", "pods", "-n", "kube-system");
    assertTrue(r.output().contains("Forbidden"), r.output());
    JsonNode e =
        only(
            request("list", "pods", "")
                .and(x -> x.path("user").path("username").asText().equals("alice")));
    assertEquals(403, e.path("responseStatus").path("code").asInt());
    assertEquals("Forbidden", e.path("responseStatus").path("reason").asText());
    assertEquals("Failure", e.path("responseStatus").path("status").asText());
    assertTrue(
        e.path("responseStatus").path("message").asText().contains("User \"alice\" cannot list"),
        e.toString());
    assertEquals("kube-system", e.path("objectRef").path("namespace").asText());

    var anonymous = server.send(server.client(null), "GET", "/api/v1/namespaces", null, null);
    assertEquals(401, anonymous.code());
    JsonNode unauthenticated =
        only(
            x ->
                x.path("requestURI").asText().equals("/api/v1/namespaces")
                    && x.path("responseStatus").path("code").asInt() == 401);
    assertTrue(unauthenticated.path("user").isEmpty(), unauthenticated.toString());
    assertEquals("list", unauthenticated.path("verb").asText());
  }
}
