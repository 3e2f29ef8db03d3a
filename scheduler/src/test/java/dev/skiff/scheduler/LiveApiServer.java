package dev.skiff.scheduler;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real API server on loopback (plain HTTP, SQLite in {@code dir}) for the scheduler's integration
 * tests, with a fabric8 client and the real kubectl pointed at it. Nodes are fake: nothing runs
 * their pods.
 */
final class LiveApiServer implements AutoCloseable {
  final KubernetesClient client;
  final TestKubectl kubectl;
  private final SqliteStore store;
  private final ApiServer server;

  LiveApiServer(Path dir) throws IOException {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    String url = "http://127.0.0.1:" + server.port();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl(url)
                    .withRequestTimeout(10_000)
                    // The API server serves watches over plain HTTP streaming, not WebSocket.
                    .withOnlyHttpWatches(true)
                    .build())
            .build();
    kubectl = new TestKubectl(dir, url, "default");
  }

  /** Creates the pod in "default" as a user would: no uid, timestamps or status. */
  Pod create(Pod p) {
    Pod copy =
        new PodBuilder(p)
            .editMetadata()
            .withUid(null)
            .withCreationTimestamp(null)
            .endMetadata()
            .withStatus(null)
            .build();
    return client.pods().inNamespace("default").resource(copy).create();
  }

  Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  /** The node the pod is bound to; null while unbound or once it is gone. */
  String nodeOf(String name) {
    Pod p = pod(name);
    return p == null ? null : p.getSpec().getNodeName();
  }

  @Override
  public void close() {
    client.close();
    server.close();
    store.close();
  }
}
