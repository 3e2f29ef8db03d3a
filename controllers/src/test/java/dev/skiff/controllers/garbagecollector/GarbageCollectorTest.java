package dev.skiff.controllers.garbagecollector;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cascading deletion as {@code kubectl delete --cascade=background|foreground|orphan} asks for it:
 * the API server turns the propagation policy into finalizers, the collector does the rest.
 */
class GarbageCollectorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Set<String> VERBS = Set.of("list", "watch", "delete", "get", "update");
  private TestCluster cluster;
  private KubernetesClient client;
  private GarbageCollector collector;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    List<ApiResource> resources =
        List.of(
            new ApiResource("", "v1", "configmaps", "ConfigMap", true, VERBS),
            new ApiResource("", "v1", "secrets", "Secret", true, VERBS));
    cluster.start(
        context -> {
          collector = new GarbageCollector(context, resources);
          return collector;
        });
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ConfigMap owner(String name, String... finalizers) {
    return client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withFinalizers(finalizers)
                .endMetadata()
                .build())
        .create();
  }

  private void dependents(ConfigMap owner, boolean block, String... finalizers) {
    var ref =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withBlockOwnerDeletion(block)
            .build();
    var configMap =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(owner.getMetadata().getName() + "-cm")
                    .withNamespace("default")
                    .withOwnerReferences(ref)
                    .withFinalizers(finalizers)
                    .endMetadata()
                    .build())
            .create();
    var secret =
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(owner.getMetadata().getName() + "-secret")
                    .withNamespace("default")
                    .withOwnerReferences(ref)
                    .endMetadata()
                    .build())
            .create();
    // Each kind has its own watch: the owner's deletion may reach the collector before the
    // dependents do, and a dependent it never saw is not its to orphan or wait for.
    await()
        .atMost(WAIT)
        .until(
            () ->
                collector.hasObserved(owner.getMetadata().getUid())
                    && collector.hasObserved(configMap.getMetadata().getUid())
                    && collector.hasObserved(secret.getMetadata().getUid()));
  }

  private ConfigMap configMap(String name) {
    return client.configMaps().inNamespace("default").withName(name).get();
  }

  private boolean secretExists(String name) {
    return client.secrets().inNamespace("default").withName(name).get() != null;
  }

  @Test
  void backgroundDeletionCollectsDependentsAfterTheOwnerIsGone() {
    ConfigMap owner = owner("bg");
    dependents(owner, false);
    client
        .configMaps()
        .inNamespace("default")
        .withName("bg")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    await().atMost(WAIT).until(() -> configMap("bg-cm") == null && !secretExists("bg-secret"));
  }

  @Test
  void orphanDeletionKeepsDependentsWithoutTheirOwnerReference() {
    ConfigMap owner = owner("orph");
    dependents(owner, false);
    client
        .configMaps()
        .inNamespace("default")
        .withName("orph")
        .withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    await().atMost(WAIT).until(() -> configMap("orph") == null);
    ConfigMap kept = configMap("orph-cm");
    assertNotNull(kept);
    assertTrue(kept.getMetadata().getOwnerReferences().isEmpty());
    assertTrue(
        client
            .secrets()
            .inNamespace("default")
            .withName("orph-secret")
            .get()
            .getMetadata()
            .getOwnerReferences()
            .isEmpty());
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilBlockingDependentsAreGone() {
    ConfigMap owner = owner("fg");
    dependents(owner, true, "example.com/hold");
    client
        .configMaps()
        .inNamespace("default")
        .withName("fg")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                !secretExists("fg-secret")
                    && configMap("fg-cm").getMetadata().getDeletionTimestamp() != null);
    assertNotNull(configMap("fg"), "the owner waits for its blocking dependents");
    assertTrue(configMap("fg").getMetadata().getFinalizers().contains(GarbageCollector.FOREGROUND));

    client
        .configMaps()
        .inNamespace("default")
        .withName("fg-cm")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .editMetadata()
                    .withFinalizers(List.of())
                    .endMetadata()
                    .build());
    await().atMost(WAIT).until(() -> configMap("fg-cm") == null && configMap("fg") == null);
  }

  @Test
  void anObjectWhoseOwnerNeverExistedIsCollectedAndADanglingReferenceBesideALiveOneIsDropped() {
    ConfigMap live = owner("live");
    var dangling =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("ghost")
            .withUid("0000-ghost")
            .build();
    var solid =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("live")
            .withUid(live.getMetadata().getUid())
            .build();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("orphaned")
                .withNamespace("default")
                .withOwnerReferences(dangling)
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("shared")
                .withNamespace("default")
                .withOwnerReferences(dangling, solid)
                .endMetadata()
                .build())
        .create();

    await().atMost(WAIT).until(() -> configMap("orphaned") == null);
    await()
        .atMost(WAIT)
        .until(() -> configMap("shared").getMetadata().getOwnerReferences().size() == 1);
    assertTrue(
        configMap("shared")
            .getMetadata()
            .getOwnerReferences()
            .getFirst()
            .getUid()
            .equals(live.getMetadata().getUid()));
  }
}
