package dev.skiff.apiserver.metrics.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.api.quantity.Quantity;
import dev.skiff.apiserver.endpoints.ListOptions;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.protobuf.GoDuration;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCacheSet;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics.k8s.io/v1beta1}: NodeMetrics and PodMetrics of the nodes and pods that exist now,
 * from the latest kubelet scrapes, with label and field selectors applied to the Node or Pod as
 * metrics-server does. Discovery lists the group from the registry; this serves the resources.
 */
public final class ResourceMetricsHandler extends Handler.Abstract {
  public static final String GROUP = "metrics.k8s.io";
  private static final String PREFIX = "/apis/" + GROUP + "/v1beta1/";
  private static final String API_VERSION = GROUP + "/v1beta1";
  private static final Logger LOG = LoggerFactory.getLogger(ResourceMetricsHandler.class);

  private final ResourceRegistry registry;
  private final WatchCacheSet caches;
  private final MetricsStore store;
  private final Clock clock;

  public ResourceMetricsHandler(
      ResourceRegistry registry, WatchCacheSet caches, MetricsStore store, Clock clock) {
    super(InvocationType.BLOCKING);
    this.registry = registry;
    this.caches = caches;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
      return false;
    }
    Exchange ex = new Exchange(request, response, callback, null);
    try {
      if (!ex.method().equals("GET") || "true".equals(ex.query("watch"))) {
        throw ApiException.methodNotAllowed();
      }
      route(ex, path.substring(PREFIX.length()).split("/"));
    } catch (ApiException e) {
      ex.sendError(e);
    } catch (RuntimeException e) {
      LOG.error("GET {} failed", path, e);
      ex.sendError(ApiException.internal(e.getClass().getSimpleName()));
    }
    return true;
  }

  private void route(Exchange ex, String[] p) {
    if (p[0].equals("nodes") && p.length <= 2) {
      ResourceType nodes = core("nodes");
      if (p.length == 2) {
        ex.send(200, nodeMetrics(lookup(nodes, "", p[1]), p[1]));
      } else {
        ex.send(200, list("NodeMetricsList", nodes, "", ex));
      }
    } else if (p[0].equals("pods") && p.length == 1) {
      ex.send(200, list("PodMetricsList", core("pods"), "", ex));
    } else if (p[0].equals("namespaces") && p.length >= 3 && p.length <= 4 && p[2].equals("pods")) {
      ResourceType pods = core("pods");
      if (p.length == 4) {
        ex.send(200, podMetrics(lookup(pods, p[1], p[3]), p[1] + "/" + p[3]));
      } else {
        ex.send(200, list("PodMetricsList", pods, p[1], ex));
      }
    } else {
      throw ApiException.pathNotFound();
    }
  }

  private ResourceType core(String plural) {
    return registry.find("", "v1", plural).orElseThrow();
  }

  private Optional<CachedObject> lookup(ResourceType t, String ns, String name) {
    return caches.cache(t).get(t.storageKey(ns, name));
  }

  private ObjectNode list(String kind, ResourceType t, String ns, Exchange ex) {
    ListOptions options = ListOptions.parse(ex, t, "");
    ObjectNode l = Json.object();
    l.put("kind", kind);
    l.put("apiVersion", API_VERSION);
    l.putObject("metadata");
    ArrayNode items = l.putArray("items");
    List<CachedObject> objects = caches.cache(t).list(options.filter(t, ns)).items();
    for (CachedObject o : objects) {
      Optional<ObjectNode> m = t.plural().equals("nodes") ? nodeUsage(o) : podUsage(o);
      m.ifPresent(items::add);
    }
    return l;
  }

  private ObjectNode nodeMetrics(Optional<CachedObject> node, String name) {
    return node.flatMap(this::nodeUsage)
        .orElseThrow(() -> ApiException.notFound(GROUP, "nodemetrics", name));
  }

  private ObjectNode podMetrics(Optional<CachedObject> pod, String key) {
    return pod.flatMap(this::podUsage)
        .orElseThrow(() -> ApiException.notFound(GROUP, "podmetrics", key));
  }

  private Optional<ObjectNode> nodeUsage(CachedObject node) {
    return store
        .node(node.name())
        .map(
            u -> {
              ObjectNode m = header("NodeMetrics", node, u);
              usage(m.putObject("usage"), u);
              return m;
            });
  }

  private Optional<ObjectNode> podUsage(CachedObject pod) {
    return store
        .pod(pod.namespace(), pod.name())
        .map(
            u -> {
              ObjectNode m = header("PodMetrics", pod, u.any());
              ArrayNode containers = m.putArray("containers");
              u.containers()
                  .forEach(
                      (name, c) -> {
                        ObjectNode cn = containers.addObject();
                        cn.put("name", name);
                        usage(cn.putObject("usage"), c);
                      });
              return m;
            });
  }

  private ObjectNode header(String kind, CachedObject source, UsageWindow u) {
    ObjectNode m = Json.object();
    m.put("kind", kind);
    m.put("apiVersion", API_VERSION);
    ObjectNode meta = m.putObject("metadata");
    meta.put("name", source.name());
    if (!source.namespace().isEmpty()) {
      meta.put("namespace", source.namespace());
    }
    meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    JsonNode labels = source.object().path("metadata").path("labels");
    if (labels.isObject()) {
      meta.set("labels", labels.deepCopy());
    }
    m.put("timestamp", u.timestamp().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put("window", GoDuration.format(u.window().toNanos()));
    return m;
  }

  private static void usage(ObjectNode usage, UsageWindow u) {
    usage.put(
        "cpu",
        Quantity.of(BigDecimal.valueOf(u.nanoCores(), 9), Quantity.Format.DECIMAL_SI).toString());
    usage.put("memory", Quantity.ofBytes(u.memoryBytes()).toString());
  }
}
