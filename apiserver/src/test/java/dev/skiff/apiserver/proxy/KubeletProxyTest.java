package dev.skiff.apiserver.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.apiserver.testing.TestKubectl.Result;
import dev.skiff.apiserver.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's logs and exec through the API server to a kubelet found from the Node's
 * status, over HTTPS to the kubelet and WebSocket for exec.
 */
class KubeletProxyTest {
  private static TestServer s;
  private static StandInKubelet kubelet;
  private static Path dir;
  private static TestKubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestKubectl.installed(), "kubectl is not installed");
    dir = Files.createTempDirectory("kubelet-proxy-test");
    kubelet = new StandInKubelet(dir);
    s = new TestServer();
    kubectl = new TestKubectl(dir, s.url(), "p1");
    node("node-a", kubelet.port());
    int closedPort;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = unused.getLocalPort();
    }
    node("node-gone", closedPort);
    assertEquals(201, s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"p1\"}}").code());
    pod("web", List.of("app"), "{\"running\":{}}");
    pod("lost", List.of("app"), "{\"running\":{}}");
    pod("two", List.of("a", "b"), "{\"running\":{}}");
    pod("new", List.of("app"), "{\"waiting\":{\"reason\":\"ContainerCreating\"}}");
  }

  private static void node(String name, int kubeletPort) {
    String node =
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
            + name
            + "\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
            + kubeletPort
            + "}}}}";
    assertEquals(201, s.post("/api/v1/nodes", node).code());
    assertEquals(200, s.put("/api/v1/nodes/" + name + "/status", node).code());
  }

  private static void pod(String name, List<String> containers, String state) {
    StringBuilder specs = new StringBuilder();
    StringBuilder statuses = new StringBuilder();
    for (String c : containers) {
      specs.append(specs.isEmpty() ? "" : ",").append("{\"name\":\"" + c + "\",\"image\":\"x\"}");
      statuses
          .append(statuses.isEmpty() ? "" : ",")
          .append("{\"name\":\"" + c + "\",\"image\":\"x\",\"imageID\":\"\",\"ready\":true,")
          .append("\"restartCount\":0,\"state\":" + state + "}");
    }
    String pod =
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"p1\"},\"spec\":{\"nodeName\":\""
            + (name.equals("lost") ? "node-gone" : "node-a")
            + "\",\"containers\":["
            + specs
            + "]},\"status\":{\"phase\":\"Running\",\"containerStatuses\":["
            + statuses
            + "]}}";
    assertEquals(201, s.post("/api/v1/namespaces/p1/pods", pod).code());
    assertEquals(200, s.put("/api/v1/namespaces/p1/pods/" + name + "/status", pod).code());
  }

  @AfterAll
  static void stop() throws Exception {
    if (s != null) {
      s.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void logsReachTheKubeletWithTheUsersOptions() throws Exception {
    kubelet.requests.clear();
    Result r = kubectl.run(null, "logs", "web", "--tail=5", "--timestamps");
    assertEquals(0, r.exit(), r.err());
    assertEquals("first line", r.out());
    assertEquals("/containerLogs/p1/web/app?tailLines=5&timestamps=true", kubelet.requests.poll());
  }

  @Test
  void followedLogsShowEachLineAsTheKubeletWritesIt() throws Exception {
    Process p = kubectl.command("logs", "-f", "web").redirectErrorStream(true).start();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("first line", lines.readLine());
      kubelet.followLines.add("second line");
      assertEquals("second line", lines.readLine());
      kubelet.followLines.add("");
      assertEquals(null, lines.readLine());
    } finally {
      p.destroy();
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }

  @Test
  void logsOfAPodWithSeveralContainersNeedAContainerName() {
    TestServer.Reply r = s.get("/api/v1/namespaces/p1/pods/two/log");
    assertEquals(400, r.code());
    assertEquals("BadRequest", r.reason());
    assertEquals(
        "a container name must be specified for pod two, choose one of: [a b]", r.message());
  }

  @Test
  void logsOfAContainerThatHasNotStartedAreRefused() throws Exception {
    Result r = kubectl.run(null, "logs", "new");
    assertEquals(1, r.exit());
    assertEquals(
        "Error from server (BadRequest): container \"app\" in pod \"new\" is waiting to start:"
            + " ContainerCreating",
        r.err());
  }

  @Test
  void logsOfAMissingPodAreNotFound() throws Exception {
    Result r = kubectl.run(null, "logs", "ghost");
    assertEquals(1, r.exit());
    assertEquals(
        "error: error from server (NotFound): pods \"ghost\" not found in namespace \"p1\"",
        r.err());
    TestServer.Reply direct = s.get("/api/v1/namespaces/p1/pods/ghost/log");
    assertEquals(404, direct.code());
    assertEquals("pods \"ghost\" not found", direct.message());
  }

  @Test
  void execRunsTheCommandOverWebSocket() throws Exception {
    kubelet.requests.clear();
    Result r = kubectl.run(null, "exec", "web", "--", "echo", "hi");
    assertEquals(0, r.exit(), r.err());
    assertEquals("hi", r.out());
    assertEquals(
        "/exec/p1/web/app?command=echo&command=hi&output=1&error=1", kubelet.requests.poll());
  }

  @Test
  void execWithStdinRelaysInputUntilItEnds() throws Exception {
    Result r = kubectl.run("one\ntwo\n", "exec", "-i", "web", "--", "cat");
    assertEquals(0, r.exit(), r.err());
    assertEquals("one\ntwo", r.out());
  }

  @Test
  void portForwardUpgradeBecomesATunnelToTheKubelet() throws Exception {
    kubelet.upgradeHeaders.clear();
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/namespaces/p1/pods/web/portforward HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                  + "X-Stream-Protocol-Version: portforward.k8s.io\r\n"
                  + "Authorization: Bearer users-own-token\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      assertEquals("HTTP/1.1 101 Switching Protocols", in.readLine());
      List<String> head = new ArrayList<>();
      for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
        head.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      assertTrue(head.contains("upgrade: spdy/3.1"), head.toString());
      assertTrue(head.contains("x-stream-protocol-version: portforward.k8s.io"), head.toString());
      assertEquals("ready", in.readLine());
      out.write("ping 1\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertEquals("ping 1", in.readLine());
      out.write("ping 2\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertEquals("ping 2", in.readLine());
    }
    var forwarded = kubelet.upgradeHeaders.take();
    assertEquals(null, forwarded.get("Authorization"), "the user's credentials stay with us");
    assertEquals("portforward.k8s.io", forwarded.get("X-Stream-Protocol-Version"));
  }

  @Test
  void portForwardOverWebSocketThatTheKubeletRefusesLeavesKubectlToFallBack() throws Exception {
    kubelet.requests.clear();
    Process p = kubectl.command("port-forward", "web", "0:80").redirectErrorStream(true).start();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      // The stand-in refuses WebSocket and answers SPDY with an echo, not SPDY frames, so kubectl
      // gives up after its fallback; what matters here is that both attempts reached the kubelet.
      lines.readLine();
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals("/portForward/p1/web", kubelet.requests.poll());
    assertEquals("/portForward/p1/web", kubelet.requests.poll());
  }

  @Test
  void nodeProxyReachesTheKubelet() throws Exception {
    Result r = kubectl.run(null, "get", "--raw", "/api/v1/nodes/node-a/proxy/healthz");
    assertEquals(0, r.exit(), r.err());
    assertEquals("ok", r.out());
    assertEquals(404, s.get("/api/v1/nodes/nowhere/proxy/healthz").code());
  }

  @Test
  void aKubeletThatCannotBeReachedIsReportedWithItsAddress() throws Exception {
    String port =
        s.get("/api/v1/nodes/node-gone")
            .json()
            .at("/status/daemonEndpoints/kubeletEndpoint/Port")
            .asText();
    Result logs = kubectl.run(null, "logs", "lost");
    assertEquals(1, logs.exit());
    assertEquals(
        "Error from server (InternalError): Get \"https://127.0.0.1:"
            + port
            + "/containerLogs/p1/lost/app\": dial tcp 127.0.0.1:"
            + port
            + ": connect: connection refused",
        logs.err());
    Result exec = kubectl.run(null, "exec", "lost", "--", "true");
    assertEquals(1, exec.exit());
    assertTrue(
        exec.err()
            .contains(
                "error dialing backend: dial tcp 127.0.0.1:"
                    + port
                    + ": connect: connection refused"),
        exec.err());
  }
}
