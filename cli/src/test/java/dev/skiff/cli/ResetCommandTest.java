package dev.skiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.cli.host.NodeRecord;
import dev.skiff.runtime.runc.RuncNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff reset} as a separate process inside a network namespace of its own, so the rules,
 * routes and links it removes are the namespace's and never the host's: it finds what the node ran
 * with in the data dir and leaves no runc state under /run behind.
 */
class ResetCommandTest {
  @TempDir Path tmp;
  private String netns;
  private final List<Path> runRoots = new ArrayList<>();

  @BeforeEach
  void namespace() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")));
    netns = "skiff-reset-" + ProcessHandle.current().pid();
    assertEquals(0, run("ip", "netns", "add", netns).exitCode);
    // A node's namespace has a link and routes; reset flushes its routes from the main table.
    for (String step :
        List.of(
            "link set lo up",
            "link add eth0 type veth peer name eth1",
            "link set eth1 up",
            "addr add 192.0.2.10/24 dev eth0",
            "link set eth0 up")) {
      List<String> cmd = new ArrayList<>(List.of("ip", "-n", netns));
      cmd.addAll(List.of(step.split(" ")));
      Result r = run(cmd.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.output());
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (netns != null) {
      run("ip", "netns", "del", netns);
    }
    for (Path root : runRoots) {
      if (Files.exists(root)) {
        try (Stream<Path> paths = Files.walk(root)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "hung: " + String.join(" ", cmd));
    return new Result(p.exitValue(), out);
  }

  private Result reset(Path dataDir) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return run(
        "ip",
        "netns",
        "exec",
        netns,
        java,
        "-cp",
        System.getProperty("java.class.path"),
        Skiff.class.getName(),
        "reset",
        "--data-dir",
        dataDir.toString());
  }

  @Test
  void removesTheRuncRunRootOfItsNodeWithoutBeingToldThePodRange() throws Exception {
    Path data = tmp.resolve("agent");
    new NodeRecord("10.42.7.0/24", null).write(data);
    // As the node's start does: the runtime makes its state dir under /run.
    RuncNode.create(data, "10.42.7.0/24", p -> {});
    Path runRoot = RuncNode.runRoot(data);
    runRoots.add(runRoot);
    assertTrue(Files.isDirectory(runRoot.resolve("attach")), runRoot.toString());

    Result r = reset(data);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Node reset"), r.output());
    assertFalse(Files.exists(runRoot), runRoot + " is still there");
  }

  @Test
  void usesTheCriRuntimeTheNodeRecorded() throws Exception {
    Path data = tmp.resolve("cri");
    String endpoint = "unix://" + tmp.resolve("no-such-containerd.sock");
    new NodeRecord("10.42.8.0/24", endpoint).write(data);
    runRoots.add(RuncNode.runRoot(data));

    Result r = reset(data);
    assertEquals(1, r.exitCode(), r.output());
    assertTrue(r.output().contains("cannot remove pods from " + endpoint), r.output());
  }
}
