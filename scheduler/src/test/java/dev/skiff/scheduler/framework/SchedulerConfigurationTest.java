package dev.skiff.scheduler.framework;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.InMemoryScheduler;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {
  private static Framework build(ProfileConfig p) {
    return new Framework(
        p,
        DefaultPlugins.registry(),
        new ClusterObjects(),
        new FakeSchedulerClient(),
        Nominator.NONE);
  }

  private static List<String> names(Framework fw, ExtensionPoint point) {
    return fw.pluginsAt(point).stream().map(Plugin::name).toList();
  }

  @Test
  void defaultsMatchUpstream() {
    var c = KubeSchedulerConfiguration.defaults();
    assertEquals(0, c.percentageOfNodesToScore());
    assertEquals(Duration.ofSeconds(1), c.podInitialBackoff());
    assertEquals(Duration.ofSeconds(10), c.podMaxBackoff());
    assertTrue(c.leaderElection().leaderElect());
    assertEquals("kube-scheduler", c.leaderElection().resourceName());
    Framework fw = build(c.profiles().getFirst());
    assertEquals("default-scheduler", fw.schedulerName());
    assertEquals(
        List.of(
            "NodeUnschedulable",
            "NodeName",
            "TaintToleration",
            "NodeAffinity",
            "NodePorts",
            "NodeResourcesFit",
            "VolumeRestrictions",
            "NodeVolumeLimits",
            "VolumeBinding",
            "PodTopologySpread",
            "InterPodAffinity"),
        names(fw, ExtensionPoint.FILTER));
    assertEquals(
        List.of(
            "TaintToleration",
            "NodeAffinity",
            "NodeResourcesFit",
            "PodTopologySpread",
            "InterPodAffinity",
            "NodeResourcesBalancedAllocation",
            "ImageLocality"),
        names(fw, ExtensionPoint.SCORE));
    assertEquals(3, fw.scoreWeight("TaintToleration"));
    assertEquals(2, fw.scoreWeight("PodTopologySpread"));
    assertEquals(1, fw.scoreWeight("ImageLocality"));
    assertEquals(List.of("DefaultPreemption"), names(fw, ExtensionPoint.POST_FILTER));
    assertEquals(List.of("DefaultBinder"), names(fw, ExtensionPoint.BIND));
  }

  @Test
  void profilesPluginsWeightsAndPercentage() {
    var c =
        KubeSchedulerConfiguration.parse(
            """
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            percentageOfNodesToScore: 30
            podInitialBackoffSeconds: 2
            podMaxBackoffSeconds: 20
            leaderElection:
              leaderElect: false
              leaseDuration: 1m30s
            profiles:
            - schedulerName: default-scheduler
            - schedulerName: no-scoring
              percentageOfNodesToScore: 100
              plugins:
                score:
                  disabled:
                  - name: '*'
            - schedulerName: packer
              plugins:
                multiPoint:
                  enabled:
                  - name: NodeResourcesFit
                    weight: 7
                  disabled:
                  - name: ImageLocality
                preScore:
                  disabled:
                  - name: TaintToleration
            """);
    assertEquals(30, c.percentageOfNodesToScore());
    assertEquals(Duration.ofSeconds(2), c.podInitialBackoff());
    assertFalse(c.leaderElection().leaderElect());
    assertEquals(Duration.ofSeconds(90), c.leaderElection().leaseDuration());
    assertEquals(3, c.profiles().size());
    Framework none = build(c.profiles().get(1));
    assertEquals(100, none.percentageOfNodesToScore());
    assertTrue(names(none, ExtensionPoint.SCORE).isEmpty());
    assertEquals(11, names(none, ExtensionPoint.FILTER).size(), "filters untouched");
    Framework packer = build(c.profiles().get(2));
    assertNull(packer.percentageOfNodesToScore());
    assertEquals(7, packer.scoreWeight("NodeResourcesFit"));
    assertFalse(names(packer, ExtensionPoint.SCORE).contains("ImageLocality"));
    assertFalse(names(packer, ExtensionPoint.PRE_SCORE).contains("TaintToleration"));
    assertTrue(names(packer, ExtensionPoint.SCORE).contains("TaintToleration"));
  }

  @Test
  void podsAreScheduledByTheProfileNamedInTheirSpec() {
    var c =
        KubeSchedulerConfiguration.parse(
            """
            profiles:
            - schedulerName: default-scheduler
            - schedulerName: tolerant
              plugins:
                filter:
                  disabled:
                  - name: NodeUnschedulable
            """);
    var s = new InMemoryScheduler(c);
    s.addNode(node("cordoned", b -> b.editSpec().withUnschedulable(true).endSpec()));
    s.createPod(pod("default"));
    s.createPod(pod("special", b -> b.editSpec().withSchedulerName("tolerant").endSpec()));
    s.scheduleAll();
    assertNull(s.nodeOf("default"));
    assertEquals("cordoned", s.nodeOf("special"));
  }

  @Test
  void invalidInputNamesTheField() {
    assertEquals(
        "percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]",
        assertThrows(
                IllegalArgumentException.class,
                () -> KubeSchedulerConfiguration.parse("percentageOfNodesToScore: 120"))
            .getMessage());
    assertEquals(
        "no kind \"KubeSchedulerConfiguration\" is registered for version \"kubescheduler.config.k8s.io/v1beta9\"",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    KubeSchedulerConfiguration.parse(
                        "apiVersion: kubescheduler.config.k8s.io/v1beta9\nkind: KubeSchedulerConfiguration"))
            .getMessage());
    assertEquals(
        "profiles[1].schedulerName: Duplicate value: \"a\"",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    KubeSchedulerConfiguration.parse(
                        "profiles: [{schedulerName: a}, {schedulerName: a}]"))
            .getMessage());
    var unknown =
        KubeSchedulerConfiguration.parse(
            "profiles: [{plugins: {filter: {enabled: [{name: Magic}]}}}]");
    assertEquals(
        "creating profile for scheduler name default-scheduler: initializing plugin \"Magic\":"
            + " plugin \"Magic\" does not exist",
        assertThrows(IllegalArgumentException.class, () -> build(unknown.profiles().getFirst()))
            .getMessage());
    var badArgs =
        KubeSchedulerConfiguration.parse(
            "profiles: [{pluginConfig: [{name: InterPodAffinity, args: {hardPodAffinityWeight:"
                + " 500}}]}]");
    assertEquals(
        "creating profile for scheduler name default-scheduler: initializing plugin"
            + " \"InterPodAffinity\": hardPodAffinityWeight: Invalid value: 500: not in valid range"
            + " [0-100]",
        assertThrows(IllegalArgumentException.class, () -> build(badArgs.profiles().getFirst()))
            .getMessage());
    var wrongPoint =
        KubeSchedulerConfiguration.parse(
            "profiles: [{plugins: {score: {enabled: [{name: NodeName}]}}}]");
    assertEquals(
        "plugin \"NodeName\" does not extend score plugin",
        assertThrows(IllegalArgumentException.class, () -> build(wrongPoint.profiles().getFirst()))
            .getMessage());
    var noBinder =
        KubeSchedulerConfiguration.parse(
            "profiles: [{plugins: {multiPoint: {disabled: [{name: DefaultBinder}]}}}]");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> build(noBinder.profiles().getFirst()))
            .getMessage()
            .contains("at least one bind plugin"));
    assertEquals(
        "leaderElection.leaseDuration: Invalid value: \"soon\": time: invalid duration",
        assertThrows(
                IllegalArgumentException.class,
                () -> KubeSchedulerConfiguration.parse("leaderElection: {leaseDuration: soon}"))
            .getMessage());
  }

  @Test
  void statusMessageHistogramSortsLikeUpstream() {
    Diagnosis d = new Diagnosis();
    for (int i = 0; i < 10; i++) {
      d.setNodeStatus("a" + i, Status.unschedulable("Insufficient memory"));
    }
    d.setNodeStatus("b", Status.unresolvable("node(s) were unschedulable"));
    d.setNodeStatus("c", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    assertEquals(
        "0/12 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable, 11 Insufficient memory.",
        d.message(12));
  }
}
