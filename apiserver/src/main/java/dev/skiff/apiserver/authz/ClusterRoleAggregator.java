package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.FieldSelector;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.apiserver.watch.Watcher;
import java.util.concurrent.TimeUnit;
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
  private final Watcher watcher;
  private Thread loop;
  private volatile boolean closed;

  public ClusterRoleAggregator(ResourceStore resources, ObjectCache objects, WatchCache cache) {
    this.resources = resources;
    this.objects = objects;
    this.cache = cache;
    this.clusterRoles = objects.type(RbacAuthorizer.RBAC, "v1", "clusterroles");
    this.watcher =
        new Watcher(
            new WatchFilter(
                "",
                LabelSelector.everything(),
                FieldSelector.everything(),
                RbacAuthorizer.RBAC,
                "ClusterRole"));
  }

  public synchronized void start() {
    cache.watch(watcher, -1);
    loop = Thread.ofVirtual().name("clusterrole-aggregation").start(this::run);
  }

  private void run() {
    while (!closed) {
      try {
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
    cache.stop(watcher);
    if (loop != null) {
      loop.interrupt();
    }
  }
}
