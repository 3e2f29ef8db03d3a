package dev.skiff.apiserver.watch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Watches as Skiff's own components take them: fabric8 informers over streamed HTTP watches. */
class Fabric8WatchTest {

  @Test
  void anInformerFollowsObjectsWhoseTextIsNotAscii() {
    try (TestServer s = new TestServer();
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl(s.url())
                        .withOnlyHttpWatches(true)
                        .withHttp2Disable(true)
                        .build())
                .build()) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("intl").endMetadata().build())
          .create();
      SharedIndexInformer<ConfigMap> informer = client.configMaps().inAnyNamespace().inform();
      try {
        String greeting = "grüße, 日本 \uD83D\uDE80 ".repeat(40);
        for (int i = 0; i < 20; i++) {
          client
              .configMaps()
              .inNamespace("intl")
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("cm-" + i)
                      .endMetadata()
                      .addToData("greeting", greeting + i)
                      .build())
              .create();
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> informer.getStore().getByKey("intl/cm-19") != null);
        for (int i = 0; i < 20; i++) {
          assertEquals(
              greeting + i, informer.getStore().getByKey("intl/cm-" + i).getData().get("greeting"));
        }
        assertTrue(informer.isWatching());
      } finally {
        informer.close();
      }
    }
  }
}
