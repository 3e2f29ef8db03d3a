package dev.skiff.apiserver.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pods/ephemeralcontainers as kubectl debug writes it: a strategic merge patch of one list. */
class EphemeralContainersTest {
  private static TestServer server;
  private static int pods;
  private String path;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void pod() {
    String name = "target-" + ++pods;
    var created =
        server.post(
            "/api/v1/namespaces/default/pods",
            """
            {"metadata":{"name":"%s"},
             "spec":{"containers":[{"name":"app","image":"busybox:1.35"}]}}"""
                .formatted(name));
    assertEquals(201, created.code(), created.body());
    path = "/api/v1/namespaces/default/pods/" + name;
  }

  private TestServer.Reply debug(String container) {
    return server.patch(
        path + "/ephemeralcontainers",
        "strategic-merge-patch",
        "{\"spec\":{\"ephemeralContainers\":[" + container + "]}}");
  }

  @Test
  void addsADebugContainerAndNothingElse() {
    var added =
        server.patch(
            path + "/ephemeralcontainers",
            "strategic-merge-patch",
            """
            {"metadata":{"labels":{"sneaky":"yes"}},
             "spec":{"ephemeralContainers":[{"name":"debugger","image":"busybox:1.35",
               "targetContainerName":"app","stdin":true,"tty":true}]}}""");
    assertEquals(200, added.code(), added.body());
    var pod = server.get(path).json();
    var debugger = pod.path("spec").path("ephemeralContainers").get(0);
    assertEquals("debugger", debugger.path("name").asText());
    assertEquals("app", debugger.path("targetContainerName").asText());
    assertEquals("IfNotPresent", debugger.path("imagePullPolicy").asText());
    assertTrue(pod.path("metadata").path("labels").path("sneaky").isMissingNode(), pod.toString());
    assertEquals(
        "debugger",
        server
            .get(path + "/ephemeralcontainers")
            .json()
            .path("spec")
            .path("ephemeralContainers")
            .get(0)
            .path("name")
            .asText());
  }

  @Test
  void refusesPortsProbesAndResourcesAndUnknownTargets() {
    var refused =
        debug(
            """
            {"name":"bad","image":"busybox:1.35","targetContainerName":"nope",
             "ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}}""");
    assertEquals(422, refused.code(), refused.body());
    String message = refused.message();
    assertTrue(message.contains("spec.ephemeralContainers[0].ports: Forbidden"), message);
    assertTrue(message.contains("spec.ephemeralContainers[0].resources: Forbidden"), message);
    assertTrue(
        message.contains("spec.ephemeralContainers[0].targetContainerName: Not found"), message);
    assertTrue(server.get(path).json().path("spec").path("ephemeralContainers").isMissingNode());
  }

  @Test
  void existingDebugContainersCannotBeRemovedOrChanged() {
    assertEquals(200, debug("{\"name\":\"one\",\"image\":\"busybox:1.35\"}").code());
    var removed =
        server.put(
            path + "/ephemeralcontainers",
            server
                .get(path)
                .json()
                .deepCopy()
                .toString()
                .replace("\"ephemeralContainers\"", "\"x\""));
    assertEquals(422, removed.code(), removed.body());
    assertTrue(
        removed.message().contains("existing ephemeral containers \"one\" may not be removed"),
        removed.message());
    var changed = debug("{\"name\":\"one\",\"image\":\"busybox:1.36\"}");
    assertEquals(422, changed.code(), changed.body());
    assertTrue(changed.message().contains("may not be changed"), changed.message());
  }
}
