package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.Snapshot;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.ProfileConfig;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Builders for nodes, pods and a default-profile framework, shared by the scheduler's tests. */
public final class Fixtures {
  private Fixtures() {}

  /** A ready node with this much cpu, memory and pod capacity, plus labels. */
  public static Node node(String name, String cpu, String memory, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.putIfAbsent("kubernetes.io/hostname", name);
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .withLabels(all)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withAllocatable(resources)
        .withCapacity(resources)
        .endStatus()
        .build();
  }

  public static Node node(String name) {
    return node(name, "4", "8Gi", Map.of());
  }

  public static Node node(String name, UnaryOperator<NodeBuilder> edit) {
    return edit.apply(new NodeBuilder(node(name))).build();
  }

  /** A pending pod in "default" with one container requesting {@code cpu}/{@code memory}. */
  public static Pod pod(String name, String cpu, String memory) {
    return pod(name, b -> b, container(cpu, memory));
  }

  public static Pod pod(String name) {
    return pod(name, b -> b);
  }

  public static Pod pod(String name, UnaryOperator<PodBuilder> edit, Container... containers) {
    List<Container> cs = new ArrayList<>(List.of(containers));
    if (cs.isEmpty()) {
      cs.add(new ContainerBuilder().withName("c").withImage("busybox").build());
    }
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withUid(UUID.randomUUID().toString())
            .withCreationTimestamp("2024-01-01T00:00:00Z")
            .endMetadata()
            .withNewSpec()
            .withContainers(cs)
            .withSchedulerName("default-scheduler")
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus();
    return edit.apply(b).build();
  }

  /** A pod whose preferred node affinity is these weighted terms. */
  public static Pod preferring(String name, PreferredSchedulingTerm... terms) {
    return pod(
        name,
        b ->
            b.editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(terms)
                .endNodeAffinity()
                .endAffinity()
                .endSpec());
  }

  /** A preferred node affinity term of this weight matching all of these expressions. */
  public static PreferredSchedulingTerm preferred(int weight, NodeSelectorRequirement... exprs) {
    return new PreferredSchedulingTerm(
        new NodeSelectorTermBuilder().withMatchExpressions(exprs).build(), weight);
  }

  public static Container container(String cpu, String memory) {
    ContainerBuilder b =
        new ContainerBuilder()
            .withName("c" + UUID.randomUUID().toString().substring(0, 6))
            .withImage("busybox");
    var requests = new java.util.HashMap<String, Quantity>();
    if (cpu != null) {
      requests.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      requests.put("memory", new Quantity(memory));
    }
    return b.withNewResources().withRequests(requests).endResources().build();
  }

  /** The pod placed on a node, as the cache would hold it once bound. */
  public static PodInfo on(Pod pod, String nodeName) {
    return new PodInfo(new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build());
  }

  /** A default-profile framework over these nodes, for running plugins as the scheduler does. */
  public static Framework framework(
      List<NodeInfo> nodes, ClusterObjects objects, FakeSchedulerClient client) {
    return framework(
        new ProfileConfig(
            "default-scheduler", null, DefaultPlugins.multiPoint(), Map.of(), Map.of()),
        nodes,
        objects,
        client);
  }

  public static Framework framework(
      ProfileConfig profile,
      List<NodeInfo> nodes,
      ClusterObjects objects,
      FakeSchedulerClient client) {
    Framework fw =
        new Framework(profile, DefaultPlugins.registry(), objects, client, Nominator.NONE);
    fw.setSnapshot(Snapshot.of(nodes));
    return fw;
  }

  public static Framework framework(List<NodeInfo> nodes) {
    return framework(nodes, new ClusterObjects(), new FakeSchedulerClient());
  }

  /** Runs PreFilter then Filter of every plugin on one node, as a cycle would. */
  public static Status filter(Framework fw, Pod pod, NodeInfo node) {
    CycleState state = new CycleState();
    Status pre = fw.runPreFilterPlugins(state, pod);
    if (!pre.isSuccess()) {
      return pre;
    }
    return fw.runFilterPlugins(state, pod, node);
  }

  /**
   * One Score plugin's normalized scores for the nodes, after every PreScore ran; all 0 when the
   * plugin skipped itself.
   */
  public static long[] scores(Framework fw, String plugin, Pod pod, List<NodeInfo> nodes) {
    CycleState state = new CycleState();
    fw.runPreFilterPlugins(state, pod);
    long[] out = new long[nodes.size()];
    for (var p : fw.pluginsAt(dev.skiff.scheduler.framework.ExtensionPoint.PRE_SCORE)) {
      Status s = ((dev.skiff.scheduler.framework.PreScorePlugin) p).preScore(state, pod, nodes);
      if (s.isSkip() && p.name().equals(plugin)) {
        return out;
      }
    }
    var sp = (dev.skiff.scheduler.framework.ScorePlugin) fw.plugin(plugin);
    for (int i = 0; i < nodes.size(); i++) {
      out[i] = sp.score(state, pod, nodes.get(i));
    }
    sp.normalizeScore(state, pod, nodes, out);
    return out;
  }
}
