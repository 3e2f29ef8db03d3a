package dev.skiff.cli;

import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.cli.cluster.NodeAgent;
import dev.skiff.cli.host.DataDir;
import dev.skiff.cli.host.NodeRecord;
import dev.skiff.network.egress.EgressMasquerade;
import dev.skiff.network.proxy.IptablesCommand;
import dev.skiff.network.proxy.IptablesSyncer;
import dev.skiff.network.proxy.ProxyConfig;
import dev.skiff.network.routes.HostGwRouteProgrammer;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.cri.CriConnection;
import dev.skiff.runtime.cri.CriNode;
import dev.skiff.runtime.cri.CriRuntimeService;
import dev.skiff.runtime.runc.RuncNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skiff reset}: tears this node down, as {@code kubeadm reset} does. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Tear this node down after its server or agent has stopped: stop and remove every pod's"
          + " containers (with their mounts, cgroups and network namespaces) and the runtime's"
          + " state under /run, and remove the iptables rules of the service proxy and of pod"
          + " egress, and the node's routes. What the node was started with is read from the"
          + " data dir. With --delete-data the data dir (store, certificates, images) goes too."
    })
final class ResetCommand implements Runnable {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The node's data dir (default: ${DEFAULT-VALUE}).")
  Path dataDir = DataDir.defaultPath();

  @Option(
      names = "--pod-cidr",
      paramLabel = "CIDR",
      description =
          "The node's pod range, to release pod addresses (default: the one the node recorded in"
              + " the data dir, else "
              + UpCommand.FIRST_NODE_POD_CIDR
              + ").")
  String podCidr;

  @Option(
      names = "--container-runtime-endpoint",
      paramLabel = "URL",
      description =
          "The CRI runtime the node ran its pods in, whose Kubernetes pods are removed instead of"
              + " Skiff's own (default: the one the node recorded in the data dir).")
  String containerRuntimeEndpoint;

  @Option(names = "--delete-data", description = "Also delete the data dir.")
  boolean deleteData;

  @Override
  public void run() {
    List<String> problems = new ArrayList<>();
    try (DataDir held = DataDir.lock(dataDir)) {
      NodeRecord node = NodeRecord.read(held.path());
      if (node != null) {
        podCidr = podCidr != null ? podCidr : node.podCidr();
        containerRuntimeEndpoint =
            containerRuntimeEndpoint != null
                ? containerRuntimeEndpoint
                : node.containerRuntimeEndpoint();
      }
      podCidr = podCidr != null ? podCidr : UpCommand.FIRST_NODE_POD_CIDR;
      removePods(held.path(), problems);
      step(
          "remove service proxy rules",
          () ->
              new IptablesSyncer(
                      ProxyConfig.of(ControlPlane.hostName(), NodeAgent.CLUSTER_CIDR),
                      IptablesCommand.host())
                  .cleanup(),
          problems);
      step(
          "remove pod egress masquerading",
          () -> EgressMasquerade.remove(IptablesCommand.host()),
          problems);
      step("remove node routes", () -> HostGwRouteProgrammer.host().removeAll(), problems);
      step("remove the pod bridge " + RuncNode.BRIDGE, () -> deleteLink(RuncNode.BRIDGE), problems);
      step(
          "remove the pod network from " + CriNode.CNI_CONF_DIR,
          () -> CriNode.removeNetwork(CriNode.CNI_CONF_DIR),
          problems);
    }
    if (deleteData) {
      step("delete " + dataDir, () -> deleteTree(dataDir), problems);
    }
    if (!problems.isEmpty()) {
      throw new UserError("reset left work undone: " + String.join("; ", problems));
    }
    System.out.println("Node reset" + (deleteData ? " and " + dataDir + " deleted" : ""));
  }

  private void removePods(Path dir, List<String> problems) {
    if (containerRuntimeEndpoint != null) {
      try (CriConnection cri = CriConnection.open(containerRuntimeEndpoint)) {
        removePods(new CriRuntimeService(cri), problems);
      } catch (RuntimeException e) {
        problems.add("cannot remove pods from " + containerRuntimeEndpoint + ": " + e.getMessage());
      }
      return;
    }
    Path runRoot = RuncNode.runRoot(dir);
    if (!Files.isDirectory(dir.resolve("runtime"))) {
      step("remove " + runRoot, () -> deleteTree(runRoot), problems);
      return;
    }
    int before = problems.size();
    removePods(RuncNode.create(dir, podCidr, p -> {}).containerRuntime(), problems);
    if (problems.size() == before) {
      step("remove " + runRoot, () -> deleteTree(runRoot), problems);
    } else {
      // runc's state is how the next reset finds the containers that are still there.
      problems.add("kept " + runRoot + " as pods remain");
    }
  }

  /** Removes the sandboxes a kubelet made (they carry the pod's uid label). */
  private static void removePods(ContainerRuntime runtime, List<String> problems) {
    for (PodSandbox sandbox : runtime.listPodSandbox(PodSandboxFilter.ALL)) {
      if (!sandbox.labels().containsKey("io.kubernetes.pod.uid")) {
        continue;
      }
      step(
          "remove pod " + sandbox.metadata().namespace() + "/" + sandbox.metadata().name(),
          () -> {
            runtime.stopPodSandbox(sandbox.id());
            runtime.removePodSandbox(sandbox.id());
          },
          problems);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void step(String what, Step step, List<String> problems) {
    try {
      step.run();
    } catch (Exception e) {
      problems.add("cannot " + what + ": " + e.getMessage());
    }
  }

  private static void deleteLink(String name) throws IOException, InterruptedException {
    if (!Files.exists(Path.of("/sys/class/net", name))) {
      return;
    }
    Process p = new ProcessBuilder("ip", "link", "del", name).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new IOException(out);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
