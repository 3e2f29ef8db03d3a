package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generic delete: preconditions, propagation finalizers ({@code orphan}, {@code
 * foregroundDeletion}), finalizer-pending deletion with {@code deletionTimestamp}, graceful pod
 * deletion, and namespaces that first go Terminating.
 */
public final class ResourceDeleter {
  public static final String ORPHAN = "orphan";
  public static final String FOREGROUND = "foregroundDeletion";
  private static final long DEFAULT_POD_GRACE = 30;

  private final ResourceStore resources;

  public ResourceDeleter(ResourceStore resources) {
    this.resources = resources;
  }

  /**
   * Outcome of a delete.
   *
   * @param deleted true when the object is gone, false when it waits for finalizers or grace
   */
  public record Result(ObjectNode object, boolean deleted) {}

  public Result delete(ResourceType t, String ns, String name, DeleteOptions opts) {
    Store store = resources.store();
    Codec codec = resources.codec();
    String key = codec.key(t, ns, name);
    while (true) {
      KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(t, name));
      ObjectNode obj = codec.toServed(Codec.decode(kv), t);
      checkPreconditions(t, name, obj, opts);
      if (isNamespace(t) && !opts.dryRun()) {
        resources.namespaces().deletionRequested(name);
      }
      Optional<ObjectNode> pending = pendingDeletion(t, obj, opts);
      try {
        if (pending.isPresent()) {
          ObjectNode updated = pending.get();
          if (updated.equals(obj) || opts.dryRun()) {
            return new Result(updated, false);
          }
          KeyValue w =
              store.update(key, Codec.encode(codec.toStorage(updated, t)), kv.modRevision(), 0);
          Json.metadata(updated).put("resourceVersion", Long.toString(w.modRevision()));
          return new Result(updated, false);
        }
        if (!opts.dryRun()) {
          store.delete(key, kv.modRevision());
        }
        return new Result(obj, true);
      } catch (StorageException.Conflict e) {
        // Written concurrently: decide again on the new state.
      } catch (StorageException.KeyNotFound e) {
        throw ApiException.notFound(t, name);
      }
    }
  }

  private static void checkPreconditions(
      ResourceType t, String name, ObjectNode obj, DeleteOptions opts) {
    String uid = ObjectMeta.uid(obj);
    if (opts.preconditionUid() != null && !opts.preconditionUid().equals(uid)) {
      throw ApiException.conflict(
          t,
          name,
          "Precondition failed: UID in precondition: "
              + opts.preconditionUid()
              + ", UID in object meta: "
              + uid);
    }
    String rv = ObjectMeta.resourceVersion(obj);
    if (opts.preconditionResourceVersion() != null
        && !opts.preconditionResourceVersion().equals(rv)) {
      throw ApiException.conflict(
          t,
          name,
          "Precondition failed: ResourceVersion in precondition: "
              + opts.preconditionResourceVersion()
              + ", ResourceVersion in object meta: "
              + rv);
    }
  }

  /** The object marked for deletion, or empty when it can be removed right away. */
  private Optional<ObjectNode> pendingDeletion(ResourceType t, ObjectNode obj, DeleteOptions opts) {
    ObjectNode updated = obj.deepCopy();
    ObjectNode m = Json.metadata(updated);
    List<String> finalizers = new ArrayList<>(ObjectMeta.finalizers(obj));
    String policy = opts.propagationPolicy();
    if ("Orphan".equals(policy)) {
      finalizers.remove(FOREGROUND);
      if (!finalizers.contains(ORPHAN)) {
        finalizers.add(ORPHAN);
      }
    } else if ("Foreground".equals(policy)) {
      finalizers.remove(ORPHAN);
      if (!finalizers.contains(FOREGROUND)) {
        finalizers.add(FOREGROUND);
      }
    } else if ("Background".equals(policy)) {
      finalizers.remove(ORPHAN);
      finalizers.remove(FOREGROUND);
    }
    long grace = graceSeconds(t, obj, opts);
    boolean namespace = isNamespace(t);
    boolean waitsForContent = namespace && !obj.path("spec").path("finalizers").isEmpty();
    if (finalizers.isEmpty() && grace == 0 && !waitsForContent && !namespace) {
      return Optional.empty();
    }
    if (namespace && !waitsForContent && finalizers.isEmpty() && ObjectMeta.isDeleting(obj)) {
      return Optional.empty();
    }
    ObjectMeta.setFinalizers(updated, finalizers);
    Instant now = resources.clock().instant();
    if (!ObjectMeta.isDeleting(obj)) {
      m.put("deletionTimestamp", ObjectMeta.timestamp(now.plusSeconds(grace)));
      m.put("deletionGracePeriodSeconds", grace);
    } else if (grace < m.path("deletionGracePeriodSeconds").asLong(0)) {
      // A shorter grace period may replace a longer one, never the reverse.
      m.put("deletionTimestamp", ObjectMeta.timestamp(now.plusSeconds(grace)));
      m.put("deletionGracePeriodSeconds", grace);
    }
    if (namespace) {
      if (!obj.path("spec").has("finalizers")) {
        updated.putObject("spec").putArray("finalizers").add("kubernetes");
      }
      updated.withObjectProperty("status").put("phase", "Terminating");
    }
    return Optional.of(updated);
  }

  /** Pods bound to a node wait for the kubelet; everything else is deleted without grace. */
  private static long graceSeconds(ResourceType t, ObjectNode obj, DeleteOptions opts) {
    if (!(t.group().isEmpty() && t.kind().equals("Pod"))) {
      return 0;
    }
    if (obj.path("spec").path("nodeName").asText("").isEmpty()) {
      return 0;
    }
    if (!obj.path("status").path("phase").asText("").matches("|Pending|Running|Unknown")) {
      return 0;
    }
    if (opts.gracePeriodSeconds() != null) {
      return opts.gracePeriodSeconds();
    }
    return obj.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_POD_GRACE);
  }

  static boolean isNamespace(ResourceType t) {
    return t.group().isEmpty() && t.kind().equals("Namespace");
  }
}
