package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties terminating namespaces in-process, standing in for upstream's namespace controller:
 * deletes every namespaced object in the namespace, and once none is left removes the {@code
 * kubernetes} finalizer and the namespace itself. Objects held by finalizers are retried until
 * their controllers release them.
 */
public final class NamespaceFinalizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceFinalizer.class);
  private static final String NAMESPACES = "/registry/namespaces/";

  private final Store store;
  private final ResourceRegistry registry;
  private ResourceDeleter deleter;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("namespace-finalizer").unstarted(r));
  private boolean scheduled;

  public NamespaceFinalizer(Store store, ResourceRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  public void setDeleter(ResourceDeleter deleter) {
    this.deleter = deleter;
  }

  /** Requests a pass soon; cheap to call often. */
  public synchronized void signal() {
    if (!scheduled && !executor.isShutdown()) {
      scheduled = true;
      executor.execute(this::pass);
    }
  }

  private void pass() {
    synchronized (this) {
      scheduled = false;
    }
    boolean remaining = false;
    try {
      RangeResult namespaces = store.list(NAMESPACES, null, 0, 0);
      for (KeyValue kv : namespaces.kvs()) {
        ObjectNode ns = Codec.decode(kv);
        if (ObjectMeta.isDeleting(ns)) {
          remaining |= !finalize(ns, kv);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("namespace finalization pass failed", e);
      remaining = true;
    }
    if (remaining && !executor.isShutdown()) {
      executor.schedule(this::signal, 1, TimeUnit.SECONDS);
    }
  }

  /** True when the namespace is gone or has no content left. */
  private boolean finalize(ObjectNode ns, KeyValue kv) {
    String name = ObjectMeta.name(ns);
    boolean empty = true;
    for (ResourceType t : namespacedStorageTypes().values()) {
      RangeResult r = store.list(t.storagePrefix() + name + "/", null, 0, 0);
      for (KeyValue item : r.kvs()) {
        empty = false;
        String objName = item.key().substring(item.key().lastIndexOf('/') + 1);
        try {
          deleter.delete(t, name, objName, DeleteOptions.BACKGROUND);
        } catch (ApiException e) {
          // Deleted concurrently, or refused; the next pass looks again.
        }
      }
    }
    if (!empty) {
      return false;
    }
    ObjectNode updated = ns.deepCopy();
    ArrayNode finalizers = Json.object().putArray("f");
    updated
        .path("spec")
        .path("finalizers")
        .forEach(
            f -> {
              if (!f.asText().equals("kubernetes")) {
                finalizers.add(f);
              }
            });
    try {
      if (finalizers.isEmpty() && ObjectMeta.finalizers(ns).isEmpty()) {
        store.delete(kv.key(), kv.modRevision());
      } else {
        updated.withObjectProperty("spec").set("finalizers", finalizers);
        store.update(kv.key(), Codec.encode(updated), kv.modRevision(), 0);
      }
      return true;
    } catch (StorageException.Conflict | StorageException.KeyNotFound e) {
      return false;
    }
  }

  private Map<String, ResourceType> namespacedStorageTypes() {
    Map<String, ResourceType> byPrefix = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      if (t.namespaced()) {
        ResourceType st = registry.storageType(t);
        byPrefix.putIfAbsent(st.storagePrefix(), st);
      }
    }
    return byPrefix;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
