package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.storage.etcd.LocalEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code skiff server} processes on one real etcd (loopback ports only) serve one cluster:
 * one scheduler and one controller manager are active, and another server takes over when the
 * active one is killed or stopped.
 */
class HighAvailabilityTest {
  static final Duration START = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private LocalEtcd etcd;
  private final List<SkiffProcess> servers = new ArrayList<>();

  @BeforeEach
  void startEtcd() {
    etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1);
  }

  @AfterEach
  void stopAll() {
    servers.forEach(SkiffProcess::close);
    if (etcd != null) {
      etcd.close();
    }
  }

  /**
   * A server on its own loopback port and data dir; all but the first join with the first's server
   * token and so get its CA from the datastore.
   */
  private Server startServer(String name, String leaseDuration, String renewDeadline)
      throws Exception {
    Path data = tmp.resolve(name);
    List<String> join = new ArrayList<>();
    if (!servers.isEmpty()) {
      join.add("--token");
      join.add(Files.readString(tmp.resolve("s1").resolve("token")).trim());
    }
    int port = SkiffProcess.freePort();
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--datastore-endpoint",
                etcd.endpoint(),
                "--leader-elect-lease-duration",
                leaseDuration,
                "--leader-elect-renew-deadline",
                renewDeadline,
                "--leader-elect-retry-period",
                "1s"));
    flags.addAll(join);
    var process =
        SkiffProcess.server(tmp.resolve(name + ".log"), data, port, flags.toArray(String[]::new));
    servers.add(process);
    process.awaitOutput(SkiffProcess.SERVER_READY, START);
    return new Server(process, port, new Kubectl(data.resolve("kubeconfig.yaml")));
  }

  record Server(SkiffProcess process, int port, Kubectl kubectl) {
    /** Lease holders are {@code <host>-<port>_<uuid>}. */
    boolean holds(String holder) {
      return holder.startsWith(ControlPlane.hostName() + "-" + port + "_");
    }
  }

  @Test
  void standbyServerTakesOverWhenTheActiveOneIsKilled() throws Exception {
    Server first = startServer("s1", "6s", "4s");
    var tokenless =
        SkiffProcess.run(
            START,
            SkiffProcess.serverArgs(
                tmp.resolve("tokenless"),
                SkiffProcess.freePort(),
                "--datastore-endpoint",
                etcd.endpoint()));
    assertEquals(1, tokenless.exitCode(), tokenless.output());
    assertTrue(
        tokenless
            .output()
            .contains("the datastore already serves a cluster: pass its server token"),
        tokenless.output());
    Server second = startServer("s2", "6s", "4s");

    assertEquals(
        0, first.kubectl().run("create", "configmap", "shared", "--from-literal=k=v").exitCode());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                second
                    .kubectl()
                    .run("get", "configmap", "shared", "-o", "jsonpath={.data.k}")
                    .output()
                    .equals("v"));

    // One cluster CA: the first server's credentials are good at the second.
    var crossed =
        first
            .kubectl()
            .run(
                "--server",
                "https://127.0.0.1:" + second.port(),
                "get",
                "configmap",
                "shared",
                "-o",
                "jsonpath={.data.k}");
    assertEquals("v", crossed.output(), crossed.output());

    await().atMost(Duration.ofSeconds(60)).until(() -> endpointPorts(first).size() == 2);
    assertEquals(
        List.of(first.port(), second.port()).stream().sorted().toList(),
        endpointPorts(second).stream().sorted().toList());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !holder(first, "kube-controller-manager").isEmpty());
    String managerHolder = holder(first, "kube-controller-manager");
    Server active = first.holds(managerHolder) ? first : second;
    Server standby = active == first ? second : first;
    assertTrue(active.holds(managerHolder), managerHolder);

    active.process().kill();

    await().atMost(Duration.ofSeconds(90)).until(() -> holdsBothLeases(standby));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> endpointPorts(standby).equals(List.of(standby.port())));

    addFakeNode(standby.kubectl());
    assertEquals(
        0,
        standby
            .kubectl()
            .run("create", "deployment", "after-failover", "--image=busybox", "--replicas=2")
            .exitCode());
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                standby
                    .kubectl()
                    .run(
                        "get",
                        "pods",
                        "-l",
                        "app=after-failover",
                        "-o",
                        "jsonpath={.items[*].spec.nodeName}")
                    .output()
                    .equals("fake-node fake-node"));
  }

  @Test
  void sigtermExitsZeroAndHandsTheLeasesOverAtOnce() throws Exception {
    // Leases far longer than the wait below: only a released Lease can change hands in time.
    Server first = startServer("s1", "5m", "4m");
    await().atMost(Duration.ofSeconds(60)).until(() -> holdsBothLeases(first));
    Server second = startServer("s2", "5m", "4m");
    await().atMost(Duration.ofSeconds(60)).until(() -> endpointPorts(second).size() == 2);

    assertEquals(0, first.process().terminate(), first.process().output());

    await().atMost(Duration.ofSeconds(60)).until(() -> holdsBothLeases(second));
    assertEquals(List.of(second.port()), endpointPorts(second));
  }

  /** Whether {@code s} leads both the controller manager and the scheduler. */
  private static boolean holdsBothLeases(Server s) throws Exception {
    return s.holds(holder(s, "kube-controller-manager")) && s.holds(holder(s, "kube-scheduler"));
  }

  private static String holder(Server via, String lease) throws Exception {
    var r =
        via.kubectl()
            .run(
                "-n",
                "kube-system",
                "get",
                "lease",
                lease,
                "-o",
                "jsonpath={.spec.holderIdentity}");
    return r.exitCode() == 0 ? r.output().trim() : "";
  }

  private static List<Integer> endpointPorts(Server via) throws Exception {
    String out =
        via.kubectl()
            .run("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].ports[*].port}")
            .output()
            .trim();
    if (out.isEmpty() || !out.matches("[0-9 ]+")) {
      return List.of();
    }
    return Arrays.stream(out.split(" ")).map(Integer::valueOf).sorted().toList();
  }

  /** A Node object no kubelet runs: enough for the scheduler to bind pods to it. */
  private static void addFakeNode(Kubectl kubectl) throws Exception {
    var created =
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: Node
            metadata:
              name: fake-node
              labels:
                kubernetes.io/hostname: fake-node
            """,
            "create",
            "-f",
            "-");
    assertEquals(0, created.exitCode(), created.output());
    var status =
        kubectl.run(
            "patch",
            "node",
            "fake-node",
            "--subresource=status",
            "--type=merge",
            "-p",
            """
            {"status":{"capacity":{"cpu":"8","memory":"16Gi","pods":"110"},
             "allocatable":{"cpu":"8","memory":"16Gi","pods":"110"},
             "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
               "lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}}
            """
                .formatted(now(), now()));
    assertEquals(0, status.exitCode(), status.output());
  }

  private static String now() {
    return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
