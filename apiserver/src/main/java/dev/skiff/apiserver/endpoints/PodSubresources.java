package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.eviction.PodEviction;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.DeleteOptions;
import dev.skiff.apiserver.registry.ObjectMeta;

/**
 * pods/binding (the scheduler's write of {@code spec.nodeName}) and pods/eviction (a delete that
 * disruption budgets may refuse, see {@link PodEviction}).
 */
public final class PodSubresources {
  private final RestContext ctx;
  private final PodEviction eviction;

  public PodSubresources(RestContext ctx) {
    this.ctx = ctx;
    this.eviction = new PodEviction(ctx.resources(), ctx.registry(), ctx.deleter());
  }

  public void bind(Exchange ex, ResourceType pods, String ns, String name) {
    ObjectNode binding = ex.bodyObject();
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw ApiException.invalid(
          pods, name, java.util.List.of(dev.skiff.api.FieldError.required("target.name", "")));
    }
    ctx.resources()
        .systemUpdate(
            pods,
            ns,
            name,
            RestContext.dryRun(ex),
            current -> {
              if (ObjectMeta.isDeleting(current)) {
                throw ApiException.conflict(
                    pods, name, "pod " + name + " is being deleted, cannot be assigned to a host");
              }
              String bound = current.path("spec").path("nodeName").asText("");
              if (!bound.isEmpty()) {
                throw ApiException.conflict(
                    pods, name, "pod " + name + " is already assigned to node \"" + bound + "\"");
              }
              current.withObjectProperty("spec").put("nodeName", node);
              markScheduled(current);
              return current;
            });
    ex.send(201, success());
  }

  private void markScheduled(ObjectNode pod) {
    ObjectNode status = pod.withObjectProperty("status");
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
        conditions.remove(i);
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", "PodScheduled");
    c.put("status", "True");
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", ObjectMeta.timestamp(ctx.resources().clock().instant()));
  }

  public void evict(Exchange ex, ResourceType pods, String ns, String name) {
    ObjectNode eviction = ex.bodyObject();
    DeleteOptions opts = DeleteOptions.from(eviction.path("deleteOptions"), ex::query);
    this.eviction.evict(pods, ns, name, eviction, opts);
    ex.send(201, success());
  }

  private static ObjectNode success() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    s.put("code", 201);
    return s;
  }
}
