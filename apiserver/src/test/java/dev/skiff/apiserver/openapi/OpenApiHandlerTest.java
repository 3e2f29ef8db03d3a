package dev.skiff.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.registry.BuiltinRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handler on a real Jetty server, read by an HTTP client and by the real kubectl. */
class OpenApiHandlerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Server server;
  private static String base;
  private static Path home;
  private static final RecordingCreates creates = new RecordingCreates();

  @BeforeAll
  static void start() throws Exception {
    BuiltinRegistry registry = new BuiltinRegistry();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Sequence(new OpenApiHandler(registry), new LegacyDiscovery(registry), creates));
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
    home = Files.createTempDirectory("skiff-openapi-test");
    Files.writeString(
        home.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
        contexts:
        - name: test
          context:
            cluster: test
            user: test
        current-context: test
        users:
        - name: test
          user: {}
        """
            .formatted(base));
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesV2WithEtagAndNotModified() throws Exception {
    HttpResponse<String> first =
        get("/openapi/v2", "Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = get("/openapi/v2", "If-None-Match", etag);

    assertEquals(200, first.statusCode());
    assertEquals("application/json", first.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("2.0", MAPPER.readTree(first.body()).path("swagger").asText());
    assertEquals(304, again.statusCode());
  }

  @Test
  void v3IndexPointsAtHashedDocuments() throws Exception {
    JsonNode index = MAPPER.readTree(get("/openapi/v3").body());
    String url = index.at("/paths/apis~1apps~1v1/serverRelativeURL").asText();

    HttpResponse<String> doc = get(url);
    HttpResponse<String> stale = get("/openapi/v3/apis/apps/v1?hash=0123");

    assertTrue(url.startsWith("/openapi/v3/apis/apps/v1?hash="), url);
    assertEquals(200, doc.statusCode());
    assertTrue(doc.headers().firstValue("Cache-Control").orElseThrow().contains("immutable"));
    assertTrue(
        MAPPER.readTree(doc.body()).at("/components/schemas").has("io.k8s.api.apps.v1.Deployment"));
    assertEquals(301, stale.statusCode());
    assertEquals(url, stale.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void unknownGroupVersionIsNotFoundAndOtherPathsPassThrough() throws Exception {
    assertEquals(404, get("/openapi/v3/apis/nope/v1").statusCode());
    assertEquals("APIVersions", MAPPER.readTree(get("/api").body()).path("kind").asText());
    assertEquals(
        405,
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/openapi/v2"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
  }

  @Test
  void kubectlExplainPrintsAFieldAndItsType() throws Exception {
    String out = kubectl("explain", "deployment.spec.replicas");

    assertTrue(out.contains("KIND:       Deployment"), out);
    assertTrue(out.contains("GROUP:      apps"), out);
    assertTrue(out.contains("FIELD: replicas <integer>"), out);
  }

  @Test
  void kubectlExplainListsTheFieldsOfAType() throws Exception {
    String out = kubectl("explain", "pods.spec.containers");

    assertTrue(out.contains("FIELD: containers <[]Container>"), out);
    assertTrue(out.contains("  image\t<string>"), out);
    assertTrue(out.contains("  resources\t<ResourceRequirements>"), out);
  }

  @Test
  void kubectlApplySeesServerSideFieldValidationAndSendsStrict() throws Exception {
    Path manifest = home.resolve("deployment.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx
        """);

    String out = kubectl("apply", "--validate=strict", "-f", manifest.toString());

    assertTrue(out.contains("deployment.apps/web created"), out);
    assertEquals(1, creates.createQueries.size(), creates.createQueries.toString());
    assertTrue(
        creates.createQueries.getFirst().contains("fieldValidation=Strict"),
        creates.createQueries.toString());
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command =
        Stream.concat(
                Stream.of(
                    "kubectl",
                    "--kubeconfig",
                    home.resolve("kubeconfig").toString(),
                    "--cache-dir",
                    home.resolve("cache").toString()),
                Stream.of(args))
            .toList();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
