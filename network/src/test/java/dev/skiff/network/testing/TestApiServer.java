package dev.skiff.network.testing;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Skiff's real API server on a loopback port over SQLite in a temporary directory, and a client.
 */
public final class TestApiServer implements AutoCloseable {
  private final Path dir;
  private final SqliteStore store;
  private final ApiServer server;
  private final KubernetesClient client;

  public TestApiServer() {
    try {
      dir = Files.createTempDirectory("skiff-network-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + server.port())
                    .withNamespace("default")
                    .withHttp2Disable(true)
                    .withOnlyHttpWatches(true)
                    .build())
            .build();
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.close();
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
