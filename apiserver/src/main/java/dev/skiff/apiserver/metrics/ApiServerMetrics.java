package dev.skiff.apiserver.metrics;

import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.storage.Store;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The API server's metrics in the process registry, with upstream's names and labels: requests by
 * verb, resource and code with their latency, long-running requests, storage latency by operation,
 * and, read at scrape time from each running server, stored objects and registered watchers.
 */
public final class ApiServerMetrics {
  private static final double[] REQUEST_BUCKETS = {
    0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
    45, 60
  };
  private static final double[] STORAGE_BUCKETS = {
    0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
    45, 60
  };

  static final Counter REQUESTS =
      Counter.builder()
          .name("apiserver_request_total")
          .help(
              "[STABLE] Counter of apiserver requests broken out for each verb, dry run value,"
                  + " group, version, resource, scope, component, and HTTP response code.")
          .labelNames(
              "code",
              "component",
              "dry_run",
              "group",
              "resource",
              "scope",
              "subresource",
              "verb",
              "version")
          .register();

  static final Histogram DURATION =
      Histogram.builder()
          .name("apiserver_request_duration_seconds")
          .help(
              "[STABLE] Response latency distribution in seconds for each verb, dry run value,"
                  + " group, version, resource, subresource, scope and component.")
          .labelNames(
              "component",
              "dry_run",
              "group",
              "resource",
              "scope",
              "subresource",
              "verb",
              "version")
          .classicOnly()
          .classicUpperBounds(REQUEST_BUCKETS)
          .register();

  static final io.prometheus.metrics.core.metrics.Gauge LONGRUNNING =
      io.prometheus.metrics.core.metrics.Gauge.builder()
          .name("apiserver_longrunning_requests")
          .help(
              "[STABLE] Gauge of all active long-running apiserver requests broken out by verb,"
                  + " group, version, resource, scope and component.")
          .labelNames("component", "group", "resource", "scope", "subresource", "verb", "version")
          .register();

  static final Histogram STORAGE =
      Histogram.builder()
          .name("etcd_request_duration_seconds")
          .help("[ALPHA] Etcd request latency in seconds for each operation and object type.")
          .labelNames("operation", "type")
          .classicOnly()
          .classicUpperBounds(STORAGE_BUCKETS)
          .register();

  /** A running server whose store and watch caches are read when the registry is scraped. */
  private record Source(Store store, ResourceRegistry registry, WatchCacheSet caches) {}

  private static final Set<Source> SOURCES = new CopyOnWriteArraySet<>();

  static {
    GaugeWithCallback.builder()
        .name("apiserver_storage_objects")
        .help("[STABLE] Number of stored objects at the time of last check split by kind.")
        .labelNames("resource")
        .callback(
            cb -> {
              Map<String, Long> counts = new HashMap<>();
              for (Source s : SOURCES) {
                for (ResourceType t : storedTypes(s.registry())) {
                  counts.merge(qualified(t), s.store().count(t.storagePrefix()), Long::sum);
                }
              }
              counts.forEach((resource, n) -> cb.call(n, resource));
            })
        .register();
    GaugeWithCallback.builder()
        .name("apiserver_registered_watchers")
        .help("[ALPHA] Number of currently registered watchers for a given resources")
        .labelNames("group", "kind", "version")
        .callback(
            cb -> {
              Map<ResourceType, Long> counts = new HashMap<>();
              for (Source s : SOURCES) {
                for (ResourceType t : storedTypes(s.registry())) {
                  counts.merge(t, (long) s.caches().cache(t).watcherCount(), Long::sum);
                }
              }
              counts.forEach((t, n) -> cb.call(n, t.group(), t.kind(), t.version()));
            })
        .register();
  }

  private ApiServerMetrics() {}

  /** The process registry: what {@code /metrics} shows, components in this JVM included. */
  public static PrometheusRegistry registry() {
    return PrometheusRegistry.defaultRegistry;
  }

  /** Counts a running server's objects and watchers until {@link #unregister}. */
  public static Object register(Store store, ResourceRegistry registry, WatchCacheSet caches) {
    Source s = new Source(store, registry, caches);
    SOURCES.add(s);
    return s;
  }

  public static void unregister(Object handle) {
    SOURCES.remove(handle);
  }

  /** One type per stored resource: the storage version of each listable resource. */
  private static Set<ResourceType> storedTypes(ResourceRegistry registry) {
    Set<String> prefixes = new HashSet<>();
    Set<ResourceType> out = new HashSet<>();
    for (ResourceType t : registry.all()) {
      ResourceType stored = registry.storageType(t);
      if (stored.verbs().contains("list")
          && stored.verbs().contains("create")
          && prefixes.add(stored.storagePrefix())) {
        out.add(stored);
      }
    }
    return out;
  }

  /**
   * The {@code type} label of a storage key or prefix: the resource it belongs to, e.g. {@code
   * deployments.apps}; resources registered later are found on first use.
   */
  public static java.util.function.Function<String, String> storageTypes(
      ResourceRegistry registry) {
    Map<String, String> byPrefix = new java.util.concurrent.ConcurrentHashMap<>();
    Runnable load =
        () -> {
          for (ResourceType t : registry.all()) {
            ResourceType stored = registry.storageType(t);
            byPrefix.putIfAbsent(stored.storagePrefix(), qualified(stored));
          }
        };
    return key -> {
      String type = lookup(byPrefix, key);
      if (type == null) {
        load.run();
        type = lookup(byPrefix, key);
      }
      return type == null ? "" : type;
    };
  }

  private static String lookup(Map<String, String> byPrefix, String key) {
    int second = key.indexOf('/', "/registry/".length());
    if (!key.startsWith("/registry/") || second < 0) {
      return null;
    }
    int third = key.indexOf('/', second + 1);
    if (third >= 0) {
      String grouped = byPrefix.get(key.substring(0, third + 1));
      if (grouped != null) {
        return grouped;
      }
    }
    return byPrefix.get(key.substring(0, second + 1));
  }

  /** {@code pods}, {@code deployments.apps}: upstream's resource label. */
  static String qualified(ResourceType t) {
    return t.group().isEmpty() ? t.plural() : t.plural() + "." + t.group();
  }
}
