package dev.skiff.controllers.statefulset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.add(new FakeKubelet(client));
    cluster.start(StatefulSetController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private List<String> podNames() {
    return client.pods().inNamespace("default").withLabel("app", "db").list().getItems().stream()
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Test
  void createsOrdinalPodsOneAtATimeWithClaimsAndScalesDownFromTheTop() {
    List<String> creationOrder = new CopyOnWriteArrayList<>();
    List<String> createdBeforePredecessorReady = new CopyOnWriteArrayList<>();
    Set<String> ready = ConcurrentHashMap.newKeySet();
    Watch watch =
        client
            .pods()
            .inNamespace("default")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (action == Action.ADDED) {
                      int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                      if (ordinal > 0 && !ready.contains("db-" + (ordinal - 1))) {
                        createdBeforePredecessorReady.add(name);
                      }
                      creationOrder.add(name);
                    }
                    if (action != Action.DELETED && Pods.isReady(pod)) {
                      ready.add(name);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      client
          .resource(
              new StatefulSetBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(3)
                  .withServiceName("db")
                  .withNewSelector()
                  .withMatchLabels(Map.of("app", "db"))
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .withLabels(Map.of("app", "db"))
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("postgres")
                  .withImage("postgres:17")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .addNewVolumeClaimTemplate()
                  .withNewMetadata()
                  .withName("data")
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .addToRequests("storage", new Quantity("1Gi"))
                  .endResources()
                  .endSpec()
                  .endVolumeClaimTemplate()
                  .endSpec()
                  .build())
          .create();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s =
                    client
                        .apps()
                        .statefulSets()
                        .inNamespace("default")
                        .withName("db")
                        .get()
                        .getStatus();
                return s != null && Integer.valueOf(3).equals(s.getReadyReplicas());
              });
    } finally {
      watch.close();
    }
    assertEquals(List.of("db-0", "db-1", "db-2"), creationOrder);
    assertEquals(List.of(), createdBeforePredecessorReady, "OrderedReady waits for each pod");
    Pod first = client.pods().inNamespace("default").withName("db-0").get();
    assertEquals("db-0", first.getSpec().getHostname());
    assertEquals("db", first.getSpec().getSubdomain());
    assertEquals(
        "data-db-0",
        first.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("data"))
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName());
    assertTrue(
        client.persistentVolumeClaims().inNamespace("default").withName("data-db-2").get() != null);

    client.apps().statefulSets().inNamespace("default").withName("db").scale(1);
    await().atMost(WAIT).until(() -> podNames().equals(List.of("db-0")));
    assertTrue(
        client.persistentVolumeClaims().inNamespace("default").withName("data-db-2").get() != null,
        "claims outlive their pods");
  }
}
