package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.DeleteOptions;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.registry.ResourceDeleter;

/** delete and deletecollection. */
public final class DeleteHandlers {
  private final RestContext ctx;
  private final ReadHandlers reads;

  public DeleteHandlers(RestContext ctx, ReadHandlers reads) {
    this.ctx = ctx;
    this.reads = reads;
  }

  public void delete(Exchange ex, ResourceType t, String ns, String name) {
    DeleteOptions opts = options(ex);
    ResourceDeleter.Result r = ctx.deleter().delete(t, ns, name, opts);
    if (r.deleted() && !opts.dryRun()) {
      ctx.services().deleted(t, r.object());
    }
    if (!r.deleted() || (t.group().isEmpty() && t.kind().equals("Pod"))) {
      ctx.respond(ex, t, 200, r.object());
      return;
    }
    ex.send(200, success(t, r.object()));
  }

  public void deleteCollection(Exchange ex, ResourceType t, String ns) {
    DeleteOptions opts = options(ex);
    ListOptions lo = ListOptions.parse(ex, t, "");
    ListOptions current = new ListOptions(lo.labels(), lo.fields(), 0, "", "", "", false, false, 0);
    ObjectNode list = Json.object();
    list.put("kind", t.listKind());
    list.put("apiVersion", t.groupVersion());
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (ObjectNode obj : reads.read(t, ns, current).items()) {
      try {
        ResourceDeleter.Result r =
            ctx.deleter().delete(t, ObjectMeta.namespace(obj), ObjectMeta.name(obj), opts);
        if (r.deleted() && !opts.dryRun()) {
          ctx.services().deleted(t, r.object());
        }
        items.add(r.object());
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    ex.send(200, list);
  }

  private static DeleteOptions options(Exchange ex) {
    JsonNode body = Json.object();
    byte[] bytes = ex.body();
    if (bytes.length > 0) {
      body = Exchange.decode(bytes, ex.contentType());
    }
    DeleteOptions opts = DeleteOptions.from(body, ex::query);
    if (RestContext.dryRun(ex) && !opts.dryRun()) {
      opts =
          new DeleteOptions(
              opts.gracePeriodSeconds(),
              opts.propagationPolicy(),
              opts.preconditionUid(),
              opts.preconditionResourceVersion(),
              true);
    }
    return opts;
  }

  private static ObjectNode success(ResourceType t, ObjectNode deleted) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    d.put("name", ObjectMeta.name(deleted));
    if (!t.group().isEmpty()) {
      d.put("group", t.group());
    }
    d.put("kind", t.plural());
    d.put("uid", ObjectMeta.uid(deleted));
    return s;
  }
}
