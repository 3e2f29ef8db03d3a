package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.apply.ManagerName;
import dev.skiff.apiserver.apply.UpdateTracking;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.FieldTracking;
import dev.skiff.apiserver.registry.ResourceStore;

/**
 * The scale subresource: an autoscaling/v1 Scale view of {@code spec.replicas}, {@code
 * status.replicas} and the selector, read with get and written with update or patch.
 */
public final class ScaleHandler {
  private final RestContext ctx;

  public ScaleHandler(RestContext ctx) {
    this.ctx = ctx;
  }

  public void handle(Exchange ex, ResourceType t, String ns, String name, String verb) {
    switch (verb) {
      case "get" -> ex.send(200, scaleOf(ctx.resources().get(t, ns, name)));
      case "update" -> {
        ObjectNode scale = ex.bodyObject();
        ResourceStore.UpdateResult r =
            ctx.resources()
                .update(
                    t,
                    ns,
                    name,
                    "",
                    RestContext.dryRun(ex),
                    current -> applyScale(current, scale),
                    tracking(ex, t, "Update"),
                    false);
        ex.send(200, scaleOf(r.object()));
      }
      case "patch" -> {
        WriteHandlers.PatchType type = WriteHandlers.PatchType.of(ex.contentType().type());
        JsonNode patch = WriteHandlers.parsePatch(ex.body(), type);
        ResourceType scaleType = scaleType(t);
        ResourceStore.UpdateResult r =
            ctx.resources()
                .update(
                    t,
                    ns,
                    name,
                    "",
                    RestContext.dryRun(ex),
                    current -> {
                      ObjectNode patched =
                          WriteHandlers.apply(scaleType, scaleOf(current), patch, type);
                      return applyScale(current, patched);
                    },
                    tracking(ex, t, "Patch"),
                    false);
        ex.send(200, scaleOf(r.object()));
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  /** Scale writes are recorded against the parent object, through the scale subresource. */
  private FieldTracking tracking(Exchange ex, ResourceType t, String options) {
    return new UpdateTracking(t, ManagerName.of(ex, options), "scale", ctx.resources().clock());
  }

  private ResourceType scaleType(ResourceType t) {
    return ctx.registry()
        .findByKind("autoscaling", "v1", "Scale")
        .orElse(
            new ResourceType(
                "autoscaling",
                "v1",
                "Scale",
                t.plural(),
                "scale",
                true,
                java.util.List.of(),
                java.util.List.of(),
                java.util.Set.of(),
                java.util.List.of(),
                io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class,
                "v1"));
  }

  private static ObjectNode applyScale(ObjectNode current, ObjectNode scale) {
    JsonNode replicas = scale.path("spec").path("replicas");
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    ObjectNode updated = current.deepCopy();
    Json.metadata(updated).put("resourceVersion", rv);
    if (replicas.isIntegralNumber()) {
      updated.withObjectProperty("spec").put("replicas", replicas.asInt());
    } else if (!replicas.isMissingNode() && !replicas.isNull()) {
      throw ApiException.badRequest("spec.replicas must be an integer");
    }
    return updated;
  }

  static ObjectNode scaleOf(ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode m = s.putObject("metadata");
    for (String f :
        new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (obj.path("metadata").has(f)) {
        m.set(f, obj.path("metadata").get(f));
      }
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(0));
    ObjectNode status = s.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    JsonNode sel = obj.path("spec").path("selector");
    String selector;
    if (sel.has("matchLabels") || sel.has("matchExpressions")) {
      selector = LabelSelector.fromJson(sel).toString();
    } else if (sel.isObject()) {
      java.util.Map<String, String> labels = new java.util.TreeMap<>();
      sel.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      selector = LabelSelector.fromMap(labels).toString();
    } else {
      selector = "";
    }
    if (!selector.isEmpty()) {
      status.put("selector", selector);
    }
    return s;
  }
}
