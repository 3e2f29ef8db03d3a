package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.apiserver.watch.Watcher;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's clusterrole-aggregation controller: a ClusterRole with an {@code aggregationRule} gets
 * as its {@code rules} the union of the rules of every ClusterRole its selectors match, kept
 * current as those roles change.
 */
public final class ClusterRoleAggregator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRoleAggregator.class);

  private final ResourceStore resources;
  private final ResourceType clusterRoles;
  private final WatchCache cache;
  private final ObjectCache objects;
  private final Function<WatchFilter, Watcher> watchers;
  private final WatchFilter filter;
  private volatile Watcher watcher;
  private Thread loop;
  private volatile boolean closed;

  public ClusterRoleAggregator(ResourceStore resources, ObjectCache objects, WatchCache cache) {
    this(resources, objects, cache, Watcher::new);
  }

  /** An aggregator whose watches of the cache are made by {@code watchers}. */
  ClusterRoleAggregator(
      ResourceStore resources,
      ObjectCache objects,
      WatchCache cache,
      Function<WatchFilter, Watcher> watchers) {
    this.resources = resources;
    this.objects = objects;
    this.cache = cache;
    this.watchers = watchers;
    this.clusterRoles = objects.type(RbacAuthorizer.RBAC, "v1", "clusterroles");
    this.filter = WatchFilter.everything(clusterRoles, "");
  }

  public synchronized void start() {
    watch();
    loop = Thread.ofVirtual().name("clusterrole-aggregation").start(this::run);
  }

  /** Watches from the current state: every ClusterRole comes first as ADDED, a relist. */
  private void watch() {
    watcher = watchers.apply(filter);
    cache.watch(watcher, -1);
  }

  private void run() {
    while (!closed) {
      try {
        if (watcher.terminated()) {
          // Cut off (as a stalled client) or ended: the cache no longer feeds this watcher, and
          // without a new one aggregation would silently stop.
          cache.stop(watcher);
          synchronized (this) {
            if (closed) {
              return;
            }
            LOG.info("watch of cluster roles ended; watching again from the current state");
            watch();
          }
        }
        if (watcher.poll(1, TimeUnit.SECONDS) == null) {
          continue;
        }
        while (watcher.pollNow() != null) {
          // One pass covers every change that arrived together.
        }
        reconcileAll();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("cluster role aggregation failed: {}", e.toString());
      }
    }
  }

  /** Brings every aggregated ClusterRole's rules up to date. */
  public void reconcileAll() {
    for (ObjectNode role : objects.list(RbacAuthorizer.RBAC, "clusterroles", "")) {
      JsonNode rule = role.path("aggregationRule");
      if (!rule.isObject()) {
        continue;
      }
      ArrayNode union = union(role.path("metadata").path("name").asText(), rule);
      if (union.equals(role.path("rules"))) {
        continue;
      }
      String name = role.path("metadata").path("name").asText();
      try {
        resources.systemUpdate(
            clusterRoles,
            "",
            name,
            false,
            cur -> {
              cur.set("rules", union);
              return cur;
            });
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
  }

  private ArrayNode union(String self, JsonNode aggregationRule) {
    ArrayNode rules = Json.MAPPER.createArrayNode();
    for (ObjectNode other : objects.list(RbacAuthorizer.RBAC, "clusterroles", "")) {
      if (other.path("metadata").path("name").asText().equals(self)) {
        continue;
      }
      boolean selected = false;
      for (JsonNode sel : aggregationRule.path("clusterRoleSelectors")) {
        if (LabelSelector.fromJson(sel).matches(LabelSelector.labelsOf(other))) {
          selected = true;
          break;
        }
      }
      if (!selected) {
        continue;
      }
      for (JsonNode r : other.path("rules")) {
        if (!contains(rules, r)) {
          rules.add(r);
        }
      }
    }
    return rules;
  }

  private static boolean contains(ArrayNode list, JsonNode item) {
    for (JsonNode n : list) {
      if (n.equals(item)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (watcher != null) {
      cache.stop(watcher);
    }
    if (loop != null) {
      loop.interrupt();
    }
  }
}
