package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.runtime.runc.RuncNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster of a {@code skiff server} and two {@code skiff agent}s, each agent a separate process
 * in its own network namespace with its own node IP and data dir, joined with a token from {@code
 * skiff token create}: pods on the two nodes reach each other, a Service spreads over both, its DNS
 * name resolves, NodePort answers on every node IP, and a wrong token or CA hash is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeClusterTest {
  private static final List<String> NODES = List.of("node-a", "node-b");
  private static final Set<String> BOTH = Set.of("node-a", "node-b");

  private Path tmp;
  private NodeNetwork network;
  private SkiffProcess server;
  private final List<SkiffProcess> agents = new ArrayList<>();
  private Kubectl kubectl;
  private String serverUrl;
  private String token;

  private static String nodeIp(String node) {
    return NodeNetwork.PREFIX + (NODES.indexOf(node) + 12);
  }

  private static String netns(String node) {
    return "skiff-e2e-" + node.substring(node.length() - 1);
  }

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    tmp = dir;
    assumeTrue("root".equals(System.getProperty("user.name")), "makes namespaces: needs root");
    assumeTrue(NodeNetwork.available(), "needs nsenter");
    Path archive = BusyboxImage.archive();

    network = NodeNetwork.create("skiff-e2e-br0");
    String port = String.valueOf(SkiffProcess.freePort());
    serverUrl = "https://" + NodeNetwork.SERVER_IP + ":" + port;
    Path serverData = tmp.resolve("server");
    server =
        SkiffProcess.start(
            tmp.resolve("server.log"),
            "server",
            "--data-dir",
            serverData.toString(),
            "--bind-address",
            NodeNetwork.SERVER_IP,
            "--https-listen-port",
            port);
    server.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(120));
    kubectl = new Kubectl(serverData.resolve("kubeconfig.yaml"));
    var created =
        SkiffProcess.run(
            Duration.ofSeconds(60), "token", "create", "--data-dir", serverData.toString());
    assertEquals(0, created.exitCode(), created.output());
    token = created.output().strip();

    for (String node : NODES) {
      network.addNode(netns(node), nodeIp(node));
      Path data = tmp.resolve(node);
      SkiffProcess.importImage(archive, data);
      agents.add(
          SkiffProcess.start(
              NodeNetwork.inNamespace(netns(node)),
              tmp.resolve(node + ".log"),
              agentArgs(token, node, data)));
    }
    for (SkiffProcess agent : agents) {
      agent.awaitOutput("Skiff agent is running", Duration.ofSeconds(180));
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> readyNodes().equals(BOTH));

    StringBuilder manifest = new StringBuilder();
    NODES.forEach(node -> manifest.append(webPod(node)));
    manifest.append(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """);
    var applied = kubectl.runWithInput(manifest.toString(), "apply", "-f", "-");
    assertEquals(0, applied.exitCode(), applied.output());
    var ready =
        kubectl.run(
            "wait", "--for=condition=Ready", "pod/web-node-a", "pod/web-node-b", "--timeout=240s");
    assertEquals(0, ready.exitCode(), ready.output() + logs());
  }

  private String[] agentArgs(String joinToken, String node, Path data) {
    return new String[] {
      "agent",
      "--server",
      serverUrl,
      "--token",
      joinToken,
      "--node-name",
      node,
      "--node-ip",
      nodeIp(node),
      "--data-dir",
      data.toString()
    };
  }

  /** A web server answering with its node's name, pinned to that node by the scheduler. */
  private static String webPod(String node) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-%1$s, labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: %1$s}
          containers:
          - name: web
            image: busybox:1.35
            command: ["sh", "-c", "echo serving on %1$s; mkdir -p /www; echo %1$s > /www/index.html; exec httpd -f -p 8080 -h /www"]
        ---
        """
        .formatted(node);
  }

  private Set<String> readyNodes() throws Exception {
    String out =
        kubectl
            .run(
                "get",
                "nodes",
                "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}")
            .output();
    Set<String> ready = new HashSet<>();
    for (String entry : out.strip().split(" ")) {
      if (entry.endsWith("=True")) {
        ready.add(entry.substring(0, entry.length() - "=True".length()));
      }
    }
    return ready;
  }

  private String logs() throws Exception {
    StringBuilder out = new StringBuilder("\n--- server\n").append(server.output());
    for (String node : NODES) {
      Path log = tmp.resolve(node + ".log");
      if (Files.exists(log)) {
        out.append("\n--- ").append(node).append('\n').append(Files.readString(log));
      }
    }
    return out.toString();
  }

  /** What {@code answer} returns over repeated calls, until both nodes have answered. */
  private static Set<String> untilBothAnswer(Callable<String> answer) {
    Set<String> seen = new HashSet<>();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              seen.add(answer.call().strip());
              return seen.containsAll(BOTH);
            });
    return seen;
  }

  private String exec(String pod, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("exec", pod, "--"));
    args.addAll(List.of(command));
    var r = kubectl.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.output());
    return r.output();
  }

  @Test
  void eachNodeJoinedWithItsOwnApprovedCertificates() throws Exception {
    String csrs =
        kubectl
            .run(
                "get",
                "csr",
                "-o",
                "jsonpath={range .items[*]}{.spec.signerName} {.spec.username}"
                    + " {.status.conditions[0].reason}{\"\\n\"}{end}")
            .output();
    for (String node : NODES) {
      assertTrue(
          csrs.contains("kubernetes.io/kubelet-serving system:node:" + node + " AutoApproved"),
          csrs);
    }
    String tokenId = token.substring(token.indexOf("::") + 2, token.indexOf("::") + 8);
    assertEquals(
        2,
        csrs.lines()
            .filter(
                l ->
                    l.equals(
                        "kubernetes.io/kube-apiserver-client-kubelet system:bootstrap:"
                            + tokenId
                            + " AutoApproved"))
            .count(),
        csrs);
    // Logs come through the API server from the kubelet, whose serving certificate it verifies.
    var log = kubectl.run("logs", "web-node-b");
    assertEquals("serving on node-b", log.output().strip(), log.output());
  }

  @Test
  void podsOnDifferentNodesReachEachOtherByPodIp() throws Exception {
    for (String from : NODES) {
      String to = NODES.get(1 - NODES.indexOf(from));
      String ip = kubectl.run("get", "pod", "web-" + to, "-o", "jsonpath={.status.podIP}").output();
      assertTrue(ip.startsWith("10.42."), ip);
      assertEquals(to, exec("web-" + from, "wget", "-qO-", "http://" + ip + ":8080/").strip());
    }
  }

  @Test
  void serviceClusterIpAndDnsNameReachBackendsOnBothNodes() throws Exception {
    String clusterIp =
        kubectl.run("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").output();
    assertEquals(
        BOTH,
        untilBothAnswer(() -> exec("web-node-a", "wget", "-qO-", "http://" + clusterIp + "/")));
    assertEquals(
        BOTH,
        untilBothAnswer(
            () -> exec("web-node-b", "wget", "-qO-", "http://web.default.svc.cluster.local/")));
  }

  @Test
  void nodePortAnswersOnEveryNodeIp() throws Exception {
    String nodePort =
        kubectl.run("get", "service", "web", "-o", "jsonpath={.spec.ports[0].nodePort}").output();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String node : NODES) {
      URI uri = URI.create("http://" + nodeIp(node) + ":" + nodePort + "/");
      assertEquals(
          BOTH,
          untilBothAnswer(
              () ->
                  http.send(
                          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()));
    }
  }

  @Test
  void wrongTokenAndWrongCaHashAreRefusedInOneSentence() throws Exception {
    String hashPart = token.substring(0, token.indexOf("::") + 2);
    var forged =
        SkiffProcess.run(
            Duration.ofSeconds(120),
            agentArgs(hashPart + "zzzzzz.0123456789abcdef", "node-x", tmp.resolve("node-x")));
    assertEquals(1, forged.exitCode(), forged.output());
    assertTrue(
        forged.output().contains("skiff: the server refused the join token"), forged.output());
    assertFalse(forged.output().contains("\tat "), forged.output());

    String wrongHash = "K10" + "0".repeat(64) + token.substring(token.indexOf("::"));
    var impostor =
        SkiffProcess.run(
            Duration.ofSeconds(120), agentArgs(wrongHash, "node-y", tmp.resolve("node-y")));
    assertEquals(1, impostor.exitCode(), impostor.output());
    assertTrue(impostor.output().contains("refusing to join"), impostor.output());
    assertFalse(impostor.output().contains("\tat "), impostor.output());
    assertEquals(BOTH, readyNodes());
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (tmp == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    agents.forEach(SkiffProcess::stop);
    if (server != null) {
      server.stop();
    }
    for (String node : NODES) {
      Path data = tmp.resolve(node);
      if (network == null || !Files.exists(data)) {
        continue;
      }
      // Containers, mounts and cgroups are the host's to clean; rules and links go with the
      // namespace. The agent's pod range is the one it recorded in its data dir.
      var reset =
          SkiffProcess.run(
              NodeNetwork.inNamespace(netns(node)),
              Duration.ofSeconds(180),
              "reset",
              "--data-dir",
              data.toString(),
              "--delete-data");
      if (reset.exitCode() != 0) {
        problems.add(node + ": " + reset.output());
      }
      if (Files.exists(RuncNode.runRoot(data))) {
        problems.add(node + ": reset left " + RuncNode.runRoot(data));
      }
    }
    if (network != null) {
      network.close();
    }
    if (server != null) {
      // Removes the server's routes to the nodes and its cluster blackholes.
      var reset =
          SkiffProcess.run(
              Duration.ofSeconds(180),
              "reset",
              "--data-dir",
              tmp.resolve("server").toString(),
              "--delete-data");
      if (reset.exitCode() != 0) {
        problems.add("server: " + reset.output());
      }
    }
    assertEquals(List.of(), problems);
  }
}
