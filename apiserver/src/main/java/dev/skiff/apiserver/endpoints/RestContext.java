package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.allocation.ServiceWrites;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ResourceDeleter;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.table.OutputFormat;
import dev.skiff.apiserver.table.TableConverter;
import dev.skiff.apiserver.watch.WatchCacheSet;
import java.util.List;

/** What every verb handler works with, and the rendering of single objects. */
public record RestContext(
    ResourceRegistry registry,
    ResourceStore resources,
    ResourceDeleter deleter,
    WatchCacheSet caches,
    ServiceWrites services) {

  public Codec codec() {
    return resources.codec();
  }

  /**
   * As {@link #respond(Exchange, ResourceType, int, ObjectNode)}; {@code json} is {@code obj}
   * already serialised (or null), sent as it is when the client asked for plain JSON.
   */
  public void respond(Exchange ex, ResourceType t, int code, ObjectNode obj, byte[] json) {
    if (json != null
        && OutputFormat.negotiate(ex.accept()) == OutputFormat.OBJECT
        && !ex.prefersYaml()) {
      ex.sendBytes(code, json, "application/json");
      return;
    }
    respond(ex, t, code, obj);
  }

  /** Sends one object as the client asked: itself, a one-row Table or its metadata. */
  public void respond(Exchange ex, ResourceType t, int code, ObjectNode obj) {
    switch (OutputFormat.negotiate(ex.accept())) {
      case OBJECT -> ex.send(code, obj);
      case TABLE ->
          ex.send(
              code,
              TableConverter.table(
                  resources.strategy(t),
                  List.of(obj),
                  ex.query("includeObject"),
                  o -> codec().toStorage(o.deepCopy(), t),
                  true));
      case PARTIAL_METADATA -> ex.send(code, TableConverter.partial(obj));
    }
  }

  /** {@code dryRun=All}, the only value upstream accepts. */
  public static boolean dryRun(Exchange ex) {
    String d = ex.query("dryRun");
    if (d.isEmpty()) {
      return false;
    }
    if (!d.equals("All")) {
      throw ApiException.badRequest("Invalid dryRun value: " + d + "; supported values: All");
    }
    return true;
  }
}
