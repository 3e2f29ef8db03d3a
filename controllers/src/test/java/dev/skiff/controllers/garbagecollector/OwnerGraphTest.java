package dev.skiff.controllers.garbagecollector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The collector's view of who owns whom: what an owner's deletion hands out as its dependents, and
 * what a late event about a deleted owner can no longer change.
 */
class OwnerGraphTest {
  private static final Set<String> VERBS = Set.of("list", "watch", "delete");
  private static final ApiResource REPLICA_SETS =
      new ApiResource("apps", "v1", "replicasets", "ReplicaSet", true, VERBS);
  private static final ApiResource PODS = new ApiResource("", "v1", "pods", "Pod", true, VERBS);

  private static GenericKubernetesResource object(String kind, String uid, String ownerUid) {
    var builder =
        new GenericKubernetesResourceBuilder()
            .withKind(kind)
            .withNewMetadata()
            .withName(kind.toLowerCase() + "-" + uid)
            .withNamespace("default")
            .withUid(uid)
            .withResourceVersion("1");
    if (ownerUid != null) {
      builder
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind("ReplicaSet")
          .withName("replicaset-" + ownerUid)
          .withUid(ownerUid)
          .endOwnerReference();
    }
    return builder.endMetadata().build();
  }

  private static List<String> uids(List<OwnerGraph.Node> nodes) {
    return nodes.stream().map(n -> n.object().getMetadata().getUid()).sorted().toList();
  }

  @Test
  void anOwnersDeletionHandsOutEveryDependentSeenBeforeItEvenWhileTheyChange() {
    OwnerGraph graph = new OwnerGraph();
    GenericKubernetesResource rs = object("ReplicaSet", "rs", null);
    graph.observed(REPLICA_SETS, rs);
    graph.observed(PODS, object("Pod", "p1", "rs"));
    graph.observed(PODS, object("Pod", "p2", "rs"));
    graph.observed(PODS, object("Pod", "p1", "rs"));

    assertEquals(List.of("p1", "p2"), uids(graph.removed(rs)));
    assertTrue(graph.get("rs").isEmpty());
    assertTrue(graph.isAbsent("rs"));
  }

  @Test
  void aLateEventAboutADeletedOwnerDoesNotBringItBack() {
    OwnerGraph graph = new OwnerGraph();
    GenericKubernetesResource rs = object("ReplicaSet", "rs", null);
    graph.observed(REPLICA_SETS, rs);
    graph.removed(rs);

    assertFalse(graph.observed(REPLICA_SETS, rs));
    assertTrue(graph.get("rs").isEmpty());
  }

  @Test
  void aDependentThatDropsItsOwnerIsNoLongerHandedOut() {
    OwnerGraph graph = new OwnerGraph();
    graph.observed(PODS, object("Pod", "p1", "rs"));
    graph.observed(PODS, object("Pod", "p1", null));

    assertEquals(List.of(), uids(graph.dependents("rs")));
  }
}
