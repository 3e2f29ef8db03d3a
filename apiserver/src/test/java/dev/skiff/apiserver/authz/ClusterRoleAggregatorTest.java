package dev.skiff.apiserver.authz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.Watcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterRoleAggregatorTest {
  private final MemoryStore store = new MemoryStore();
  private final BuiltinRegistry registry = new BuiltinRegistry();
  private final WatchCacheSet caches = new WatchCacheSet(store, registry, 1000);
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private ResourceStore resources;
  private ObjectCache objects;
  private ResourceType clusterRoles;
  private WatchCache cache;
  private ClusterRoleAggregator aggregator;

  @BeforeEach
  void start() {
    caches.start();
    // Cluster roles live in no namespace: none is ever looked up.
    resources = new ResourceStore(store, registry, name -> Optional.empty(), Clock.systemUTC());
    objects = new ObjectCache(registry, caches);
    clusterRoles = objects.type(RbacAuthorizer.RBAC, "v1", "clusterroles");
    cache = caches.cache(clusterRoles);
    aggregator =
        new ClusterRoleAggregator(
            resources,
            objects,
            cache,
            filter -> {
              Watcher w = new Watcher(filter);
              watchers.add(w);
              return w;
            });
    aggregator.start();
  }

  @AfterEach
  void stop() {
    aggregator.close();
    caches.close();
    store.close();
  }

  private void create(String json) {
    try {
      resources.create(clusterRoles, "", (ObjectNode) Json.MAPPER.readTree(json), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode rulesOf(String name) {
    return objects.get(RbacAuthorizer.RBAC, "clusterroles", "", name).orElseThrow().path("rules");
  }

  private void createAggregated(String resource) {
    create(
        """
        {"metadata":{"name":"view-%s","labels":{"aggregate-to-monitoring":"true"}},
         "rules":[{"apiGroups":[""],"resources":["%s"],"verbs":["list"]}]}
        """
            .formatted(resource, resource));
  }

  @Test
  void aggregationGoesOnAfterItsWatchIsCutOff() {
    create(
        """
        {"metadata":{"name":"monitoring"},
         "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"aggregate-to-monitoring":"true"}}]},
         "rules":[]}
        """);
    createAggregated("endpoints");
    await().atMost(Duration.ofSeconds(30)).until(() -> rulesOf("monitoring").size() == 1);

    // What the cache does to a client that stopped taking events: it is fed no more and ended.
    Watcher first = watchers.getFirst();
    cache.stop(first);
    first.terminate();
    createAggregated("services");

    await().atMost(Duration.ofSeconds(30)).until(() -> rulesOf("monitoring").size() == 2);
    assertEquals("services", rulesOf("monitoring").path(1).path("resources").path(0).asText());
    assertEquals(1, cache.watcherCount());
  }
}
