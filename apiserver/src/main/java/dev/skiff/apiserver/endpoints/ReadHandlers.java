package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.table.OutputFormat;
import dev.skiff.apiserver.table.TableConverter;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * get and list. Lists come from the watch cache when its state is fresh enough for the requested
 * resourceVersion semantics, and from the store for exact revisions and pages.
 */
public final class ReadHandlers {
  /** How long a consistent list waits for the cache to catch up before reading the store. */
  private static final long FRESHNESS_WAIT_MS = 3000;

  private final RestContext ctx;

  public ReadHandlers(RestContext ctx) {
    this.ctx = ctx;
  }

  public void get(Exchange ex, ResourceType t, String ns, String name) {
    boolean plainJson =
        OutputFormat.negotiate(ex.accept()) == OutputFormat.OBJECT && !ex.prefersYaml();
    if (!plainJson || !ctx.codec().storageType(t).equals(t)) {
      ctx.respond(ex, t, 200, ctx.resources().get(t, ns, name));
      return;
    }
    // The object as stored is the object as served: send its bytes rather than parse them into a
    // tree only to serialise that tree again.
    String key = ctx.codec().key(t, ns, name);
    KeyValue kv =
        ctx.resources().store().get(key).orElseThrow(() -> ApiException.notFound(t, name));
    // The read itself goes to the store, as upstream's; when the watch cache holds the same
    // revision, its encoding (shared with lists and watches) is these same bytes.
    Optional<CachedObject> cached = ctx.caches().cache(t).get(key);
    if (cached.isPresent() && cached.get().revision() == kv.modRevision()) {
      ex.sendBytes(200, cached.get().json(), "application/json");
      return;
    }
    Optional<byte[]> json = Codec.decodedJson(kv);
    if (json.isPresent()) {
      ex.sendBytes(200, json.get(), "application/json");
    } else {
      ctx.respond(ex, t, 200, Codec.decode(kv));
    }
  }

  /**
   * One page of a list: served-version objects, the revision and the continue token; {@code
   * encoded} holds the items' shared JSON when they came from the cache unconverted, else null.
   */
  public record Page(
      List<ObjectNode> items, long revision, String continueToken, List<byte[]> encoded) {
    Page(List<ObjectNode> items, long revision, String continueToken) {
      this(items, revision, continueToken, null);
    }
  }

  public void list(Exchange ex, ResourceType t, String ns) {
    ListOptions o = ListOptions.parse(ex, t, "");
    Page page = read(t, ns, o);
    ObjectNode meta = Json.object();
    meta.put("resourceVersion", Long.toString(page.revision()));
    if (!page.continueToken().isEmpty()) {
      meta.put("continue", page.continueToken());
    }
    switch (OutputFormat.negotiate(ex.accept())) {
      case OBJECT -> {
        ObjectNode list = Json.object();
        list.put("kind", t.listKind());
        list.put("apiVersion", t.groupVersion());
        list.set("metadata", meta);
        ArrayNode items = list.putArray("items");
        if (page.encoded() != null && !ex.prefersYaml()) {
          ex.sendBytes(200, withItems(Json.bytes(list), page.encoded()), "application/json");
          return;
        }
        page.items().forEach(items::add);
        ex.send(200, list);
      }
      case TABLE -> {
        ObjectNode table =
            TableConverter.table(
                ctx.resources().strategy(t),
                page.items(),
                ex.query("includeObject"),
                obj -> ctx.codec().toStorage(obj.deepCopy(), t),
                true);
        table.set("metadata", meta);
        ex.send(200, table);
      }
      case PARTIAL_METADATA -> ex.send(200, TableConverter.partialList(page.items(), meta));
    }
  }

  /** The objects a list with {@code o} sees, following upstream's resourceVersion rules. */
  public Page read(ResourceType t, String ns, ListOptions o) {
    String namespace = t.namespaced() ? ns : "";
    WatchFilter filter = o.filter(t, namespace);
    String prefix = ctx.codec().storageType(t).storagePrefix();
    String scoped = namespace.isEmpty() ? prefix : prefix + namespace + "/";
    String rv = o.resourceVersion();
    boolean exact = o.resourceVersionMatch().equals("Exact");
    if (!o.continueToken().isEmpty()) {
      ContinueToken token = ContinueToken.decode(o.continueToken(), scoped);
      return fromStore(t, scoped, token.startAfter(), token.revision(), o.limit(), filter, true);
    }
    if (rv.equals("0") || (rv.isEmpty() && o.limit() == 0)) {
      if (rv.equals("0") || awaitFresh()) {
        return fromCache(t, filter);
      }
      return fromStore(t, scoped, null, 0, o.limit(), filter, false);
    }
    if (exact) {
      return fromStore(t, scoped, null, ListOptions.parseRevision(rv), o.limit(), filter, false);
    }
    if (rv.isEmpty()) {
      return fromStore(t, scoped, null, 0, o.limit(), filter, false);
    }
    long min = ListOptions.parseRevision(rv);
    awaitRevision(min);
    if (o.limit() == 0) {
      return fromCache(t, filter);
    }
    return fromStore(t, scoped, null, 0, o.limit(), filter, false);
  }

  private boolean awaitFresh() {
    try {
      return ctx.caches().awaitFresh(FRESHNESS_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void awaitRevision(long rv) {
    try {
      if (!ctx.caches().awaitRevision(rv, FRESHNESS_WAIT_MS)) {
        throw ApiException.tooLargeResourceVersion(rv, ctx.caches().observedRevision());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.internal("interrupted");
    }
  }

  private Page fromCache(ResourceType t, WatchFilter filter) {
    WatchCache cache = ctx.caches().cache(t);
    WatchCache.Snapshot snap = cache.list(filter);
    List<ObjectNode> items = new ArrayList<>(snap.items().size());
    if (!ctx.codec().storageType(t).equals(t)) {
      for (CachedObject c : snap.items()) {
        items.add(ctx.codec().toServed(c.object(), t));
      }
      return new Page(items, snap.revision(), "");
    }
    List<byte[]> encoded = new ArrayList<>(snap.items().size());
    for (CachedObject c : snap.items()) {
      items.add(c.object());
      encoded.add(c.json());
    }
    return new Page(items, snap.revision(), "", encoded);
  }

  /**
   * Splices already-encoded items into a list encoded with an empty {@code items} array (its last
   * member), so a list from the cache serialises each object once for all readers, not per list.
   */
  private static byte[] withItems(byte[] emptyList, List<byte[]> items) {
    int head = emptyList.length - 2; // drops the closing "]}"
    int size = head + 2 + Math.max(0, items.size() - 1);
    for (byte[] item : items) {
      size += item.length;
    }
    byte[] out = new byte[size];
    System.arraycopy(emptyList, 0, out, 0, head);
    int at = head;
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] item = items.get(i);
      System.arraycopy(item, 0, out, at, item.length);
      at += item.length;
    }
    out[at++] = ']';
    out[at] = '}';
    return out;
  }

  private Page fromStore(
      ResourceType t,
      String prefix,
      String startAfter,
      long revision,
      long limit,
      WatchFilter filter,
      boolean continuing) {
    List<ObjectNode> items = new ArrayList<>();
    String after = startAfter;
    long rev = revision;
    try {
      while (true) {
        RangeResult r = ctx.resources().store().list(prefix, after, (int) limit, rev);
        rev = r.revision();
        List<KeyValue> kvs = r.kvs();
        for (int i = 0; i < kvs.size(); i++) {
          KeyValue kv = kvs.get(i);
          after = kv.key();
          CachedObject obj = new CachedObject(kv.key(), Codec.decode(kv), kv.modRevision());
          if (filter.matches(obj)) {
            items.add(ctx.codec().toServed(obj.object(), t));
            if (limit > 0 && items.size() == limit) {
              boolean more = i < kvs.size() - 1 || r.more();
              return new Page(items, rev, more ? new ContinueToken(rev, after).encode() : "");
            }
          }
        }
        if (!r.more() || kvs.isEmpty()) {
          return new Page(items, rev, "");
        }
      }
    } catch (StorageException.Compacted e) {
      throw ApiException.gone(
          continuing
              ? "The provided continue parameter is too old to display a consistent list result."
                  + " You can start a new list without the continue parameter, or use the continue"
                  + " token in this response to retrieve the remainder of the results. Continuing"
                  + " with the provided token results in an inconsistent list - objects that were"
                  + " created, modified, or deleted between the time the first chunk was returned"
                  + " and now may show up in the list."
              : "The resourceVersion for the provided list is too old.");
    } catch (StorageException.FutureRevision e) {
      throw ApiException.tooLargeResourceVersion(
          revision, ctx.resources().store().currentRevision());
    }
  }
}
