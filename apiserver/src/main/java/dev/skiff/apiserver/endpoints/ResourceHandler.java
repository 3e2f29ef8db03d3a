package dev.skiff.apiserver.endpoints;

import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.RequestInfo;

/** Routes a resource request to its verb handler: one code path for every resource. */
public final class ResourceHandler {
  private final RestContext ctx;
  private final ReadHandlers reads;
  private final WriteHandlers writes;
  private final DeleteHandlers deletes;
  private final WatchHandler watches;
  private final ScaleHandler scale;
  private final PodSubresources pods;

  public ResourceHandler(RestContext ctx) {
    this.ctx = ctx;
    this.reads = new ReadHandlers(ctx);
    this.writes = new WriteHandlers(ctx);
    this.deletes = new DeleteHandlers(ctx, reads);
    this.watches = new WatchHandler(ctx, reads);
    this.scale = new ScaleHandler(ctx);
    this.pods = new PodSubresources(ctx);
  }

  public void handle(Exchange ex, RequestInfo ri) {
    ResourceType t =
        ctx.registry()
            .find(ri.group(), ri.version(), ri.resource())
            .orElseThrow(ApiException::pathNotFound);
    String verb = ri.verb();
    String name = ri.name();
    String ns = ri.namespace();
    if (!t.namespaced()) {
      boolean namespaceItself = t.group().isEmpty() && t.plural().equals("namespaces");
      if (!ns.isEmpty() && !namespaceItself) {
        throw ApiException.pathNotFound();
      }
      ns = "";
    } else if (ns.isEmpty() && !verb.equals("list") && !verb.equals("watch")) {
      throw ApiException.pathNotFound();
    }
    if (verb.isEmpty()) {
      throw ApiException.methodNotAllowed();
    }
    String sub = ri.subresource();
    if (!sub.isEmpty()) {
      subresource(ex, t, ns, name, sub, verb);
      return;
    }
    if (verb.equals("create") && !name.isEmpty()) {
      throw ApiException.methodNotAllowed();
    }
    if (!t.verbs().contains(verb)) {
      throw ApiException.methodNotAllowed();
    }
    switch (verb) {
      case "get" -> reads.get(ex, t, ns, name);
      case "list" -> reads.list(ex, t, ns);
      case "watch" -> watches.watch(ex, t, ns, name);
      case "create" -> writes.create(ex, t, ns);
      case "update" -> writes.update(ex, t, ns, name, "");
      case "patch" -> writes.patch(ex, t, ns, name, "");
      case "delete" -> deletes.delete(ex, t, ns, name);
      case "deletecollection" -> deletes.deleteCollection(ex, t, ns);
      default -> throw ApiException.methodNotAllowed();
    }
  }

  private void subresource(
      Exchange ex, ResourceType t, String ns, String name, String sub, String verb) {
    if (!t.hasSubresource(sub) || name.isEmpty()) {
      throw ApiException.pathNotFound();
    }
    if (!t.subresourceVerbs(sub).contains(verb)) {
      throw ApiException.methodNotAllowed();
    }
    boolean pod = t.group().isEmpty() && t.kind().equals("Pod");
    switch (sub) {
      case "status" -> {
        switch (verb) {
          case "get" -> reads.get(ex, t, ns, name);
          case "update" -> writes.update(ex, t, ns, name, "status");
          case "patch" -> writes.patch(ex, t, ns, name, "status");
          default -> throw ApiException.methodNotAllowed();
        }
      }
      case "approval" -> {
        switch (verb) {
          case "get" -> reads.get(ex, t, ns, name);
          case "update" -> writes.update(ex, t, ns, name, "approval");
          case "patch" -> writes.patch(ex, t, ns, name, "approval");
          default -> throw ApiException.methodNotAllowed();
        }
      }
      case "scale" -> scale.handle(ex, t, ns, name, verb);
      case "finalize" -> writes.update(ex, t, ns, name, "finalize");
      case "binding" -> {
        if (!pod) {
          throw ApiException.pathNotFound();
        }
        pods.bind(ex, t, ns, name);
      }
      case "eviction" -> {
        if (!pod) {
          throw ApiException.pathNotFound();
        }
        pods.evict(ex, t, ns, name);
      }
      case "ephemeralcontainers" -> {
        if (!pod) {
          throw ApiException.pathNotFound();
        }
        switch (verb) {
          case "get" -> reads.get(ex, t, ns, name);
          case "update" -> writes.update(ex, t, ns, name, "ephemeralcontainers");
          case "patch" -> writes.patch(ex, t, ns, name, "ephemeralcontainers");
          default -> throw ApiException.methodNotAllowed();
        }
      }
      // Streaming and proxy subresources are served by the kubelet proxy, a later piece.
      default -> throw ApiException.pathNotFound();
    }
  }
}
