package dev.skiff.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handler on a real Jetty server, read by an HTTP client and by the real kubectl. */
class OpenApiHandlerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KubectlHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new KubectlHarness();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.base + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesV2WithEtagAndNotModified() throws Exception {
    HttpResponse<String> first = get("/openapi/v2", "Accept", "application/json");
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
                HttpRequest.newBuilder(URI.create(cluster.base + "/openapi/v2"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
  }

  @Test
  void kubectlExplainPrintsAFieldAndItsType() throws Exception {
    String out = cluster.kubectl("explain", "deployment.spec.replicas");

    assertTrue(out.contains("KIND:       Deployment"), out);
    assertTrue(out.contains("GROUP:      apps"), out);
    assertTrue(out.contains("FIELD: replicas <integer>"), out);
  }

  @Test
  void kubectlExplainNamesTypesAsUpstream() throws Exception {
    String containers = cluster.kubectl("explain", "pods.spec.containers");
    String limits = cluster.kubectl("explain", "pod.spec.containers.resources.limits");
    String maxSurge = cluster.kubectl("explain", "deploy.spec.strategy.rollingUpdate.maxSurge");

    assertTrue(containers.contains("FIELD: containers <[]Container>"), containers);
    assertTrue(containers.contains("  image\t<string>"), containers);
    assertTrue(containers.contains("  name\t<string> -required-"), containers);
    assertTrue(containers.contains("  resources\t<ResourceRequirements>"), containers);
    assertTrue(limits.contains("FIELD: limits <map[string]Quantity>"), limits);
    assertTrue(maxSurge.contains("FIELD: maxSurge <IntOrString>"), maxSurge);
  }

  @Test
  void kubectlExplainReadsTheProtobufV2Document() throws Exception {
    String replicas =
        cluster.kubectl("explain", "deployment.spec.replicas", "--output=plaintext-openapiv2");
    String containers =
        cluster.kubectl("explain", "pod.spec.containers", "--output=plaintext-openapiv2");

    assertTrue(replicas.contains("FIELD:    replicas <integer>"), replicas);
    assertTrue(containers.contains("RESOURCE: containers <[]Object>"), containers);
    assertTrue(containers.contains("   name\t<string> -required-"), containers);
  }

  @Test
  void kubectlApplySeesServerSideFieldValidationAndSendsStrict() throws Exception {
    Path manifest =
        cluster.write(
            "configmap.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              a: "1"
            """);

    String out = cluster.kubectl("apply", "--validate=strict", "-f", manifest.toString());

    assertTrue(out.contains("configmap/settings created"), out);
    FakeResources.Sent create =
        cluster.resources.requests.stream()
            .filter(r -> r.method().equals("POST"))
            .findFirst()
            .orElseThrow();
    assertTrue(create.query().contains("fieldValidation=Strict"), create.query());
  }
}
