package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cni.CniNetworkConfig;
import dev.skiff.runtime.cni.CniPlugins;
import dev.skiff.runtime.cni.CniPodNetwork;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.LayerUnpacker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pod started by one JVM keeps running, logging and reporting after that JVM is killed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutliveJvmTest {

  /** The other JVM: starts a pod over the given directories, prints its ids, then waits to die. */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    var network =
        new CniPodNetwork(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge(
                "skiff-test", RuncFixture.BRIDGE, RuncFixture.CIDR, root.resolve("ipam")));
    var config =
        new RuncRuntimeConfig(
            root.resolve("runtime"),
            Path.of(args[1]),
            root.resolve("logs"),
            "runc",
            network,
            Cgroups.host());
    var runtime =
        new RuncRuntime(config, new ImageStore(root.resolve("images"), new LayerUnpacker()));
    PodSandboxConfig pod =
        new PodSandboxConfig(
            new PodSandboxMetadata("survivor", args[2], "default", 0),
            "survivor",
            root.resolve("logs/default_survivor").toString(),
            null,
            null,
            null,
            null,
            new dev.skiff.runtime.LinuxPodSandboxConfig(args[3], null, null, null));
    String sb = runtime.runPodSandbox(pod, null);
    String c =
        runtime.createContainer(
            sb,
            new ContainerConfig(
                new dev.skiff.runtime.ContainerMetadata("tick", 0),
                new dev.skiff.runtime.ImageSpec("busybox:1.35"),
                List.of("sh", "-c", "while :; do echo tick; sleep 0.1; done"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "tick/0.log",
                false,
                false,
                false,
                null),
            pod);
    runtime.startContainer(c);
    System.out.println(sb + " " + c);
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }

  @Test
  void containersSurviveTheJvmThatStartedThem() throws Exception {
    try (RuncFixture f = new RuncFixture()) {
      PodSandboxConfig template =
          f.pod("survivor", dev.skiff.runtime.NamespaceOptions.DEFAULT, null);
      Process other =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  OutliveJvmTest.class.getName(),
                  f.root.toString(),
                  f.runRoot.toString(),
                  template.metadata().uid(),
                  template.linux().cgroupParent())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String[] ids;
      try (var out =
          new BufferedReader(
              new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
        String line = out.readLine();
        if (line == null) throw new AssertionError("the other JVM started no pod");
        ids = line.trim().split(" ");
      } finally {
        other.destroyForcibly();
        other.waitFor(30, TimeUnit.SECONDS);
      }
      RuncRuntime adopted = new RuncRuntime(f.config, f.images);
      try {
        assertEquals(PodSandboxState.SANDBOX_READY, adopted.podSandboxStatus(ids[0]).state());
        assertEquals(ContainerState.CONTAINER_RUNNING, adopted.containerStatus(ids[1]).state());
        Path log = Path.of(adopted.containerStatus(ids[1]).logPath());
        long before = Files.readAllLines(log).size();
        Thread.sleep(500);
        assertTrue(Files.readAllLines(log).size() > before, "still logging with its JVM gone");
        adopted.stopContainer(ids[1], 0);
        assertEquals(137, adopted.containerStatus(ids[1]).exitCode(), "the exit was recorded");
      } finally {
        adopted.removePodSandbox(ids[0]);
      }
    }
  }
}
