package dev.skiff.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.apiserver.testing.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fabric8 client, as the controllers use it: typed CRUD, informers, scale, errors. */
class Fabric8ClientTest {
  private static TestServer s;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    s = new TestServer();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(s.url()).build())
            .build();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    client.close();
    s.close();
  }

  @Test
  void informerSeesAddUpdateDelete() {
    List<String> events = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace("f8")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    events.add("add " + obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    events.add("update " + newObj.getMetadata().getName());
                  }

                  @Override
                  public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    events.add("delete " + obj.getMetadata().getName());
                  }
                });
    try {
      var cm =
          client
              .configMaps()
              .inNamespace("f8")
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("inf")
                      .endMetadata()
                      .addToData("a", "1")
                      .build())
              .create();
      assertEquals("1", cm.getData().get("a"));
      client
          .configMaps()
          .inNamespace("f8")
          .withName("inf")
          .edit(
              c -> {
                c.getData().put("a", "2");
                return c;
              });
      client.configMaps().inNamespace("f8").withName("inf").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("delete inf"));
      assertEquals(List.of("add inf", "update inf", "delete inf"), events);
    } finally {
      informer.close();
    }
  }

  @Test
  void deploymentScaleAndErrors() {
    client
        .apps()
        .deployments()
        .inNamespace("f8")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("d")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "d")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "d")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("img")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    client.apps().deployments().inNamespace("f8").withName("d").scale(4);
    assertEquals(
        4,
        client.apps().deployments().inNamespace("f8").withName("d").get().getSpec().getReplicas());
    var e =
        assertThrows(
            KubernetesClientException.class,
            () ->
                client
                    .configMaps()
                    .inNamespace("f8")
                    .resource(
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("Bad_Name")
                            .endMetadata()
                            .build())
                    .create());
    assertEquals(422, e.getCode());
    assertEquals("Invalid", e.getStatus().getReason());
  }
}
