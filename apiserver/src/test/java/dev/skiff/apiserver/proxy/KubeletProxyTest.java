package dev.skiff.apiserver.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static TestServer s;
  private static StandInKubelet kubelet;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    dir = Files.createTempDirectory("kubelet-proxy-test");
    kubelet = new StandInKubelet(dir);
    s = new TestServer();
    Files.writeString(
        dir.resolve("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \""
            + s.url()
            + "\"}\n  name: t\n"
            + "contexts:\n- context: {cluster: t, user: u, namespace: p1}\n  name: t\n"
            + "current-context: t\nusers:\n- name: u\n  user: {}\n");
    String nodeStatus =
        "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
            + kubelet.port()
            + "}}}";
    String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-a\"},";
    assertEquals(201, s.post("/api/v1/nodes", node + nodeStatus + "}").code());
    assertEquals(200, s.put("/api/v1/nodes/node-a/status", node + nodeStatus + "}").code());
    assertEquals(201, s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"p1\"}}").code());
    pod("web", List.of("app"), "{\"running\":{}}");
    pod("two", List.of("a", "b"), "{\"running\":{}}");
    pod("new", List.of("app"), "{\"waiting\":{\"reason\":\"ContainerCreating\"}}");
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
            + "\",\"namespace\":\"p1\"},\"spec\":{\"nodeName\":\"node-a\",\"containers\":["
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

  record Result(int exit, String out, String err) {}

  private static ProcessBuilder kubectlCommand(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(KUBECTL.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", dir.toString());
    return pb;
  }

  private static Result kubectl(String stdin, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", "");
    Path err = Files.createTempFile(dir, "err", "");
    Process p =
        kubectlCommand(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
  }

  @Test
  void logsReachTheKubeletWithTheUsersOptions() throws Exception {
    kubelet.requests.clear();
    Result r = kubectl(null, "logs", "web", "--tail=5", "--timestamps");
    assertEquals(0, r.exit(), r.err());
    assertEquals("first line", r.out());
    assertEquals("/containerLogs/p1/web/app?tailLines=5&timestamps=true", kubelet.requests.poll());
  }

  @Test
  void followedLogsShowEachLineAsTheKubeletWritesIt() throws Exception {
    Process p = kubectlCommand("logs", "-f", "web").redirectErrorStream(true).start();
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
    Result r = kubectl(null, "logs", "new");
    assertEquals(1, r.exit());
    assertEquals(
        "Error from server (BadRequest): container \"app\" in pod \"new\" is waiting to start:"
            + " ContainerCreating",
        r.err());
  }

  @Test
  void logsOfAMissingPodAreNotFound() throws Exception {
    Result r = kubectl(null, "logs", "ghost");
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
    Result r = kubectl(null, "exec", "web", "--", "echo", "hi");
    assertEquals(0, r.exit(), r.err());
    assertEquals("hi", r.out());
    assertEquals(
        "/exec/p1/web/app?command=echo&command=hi&output=1&error=1", kubelet.requests.poll());
  }

  @Test
  void execWithStdinRelaysInputUntilItEnds() throws Exception {
    Result r = kubectl("one\ntwo\n", "exec", "-i", "web", "--", "cat");
    assertEquals(0, r.exit(), r.err());
    assertEquals("one\ntwo", r.out());
  }
}
