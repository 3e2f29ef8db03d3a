package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import dev.skiff.api.kinds.core.EphemeralContainers;
import dev.skiff.apiserver.admission.AdmissionAttributes;
import dev.skiff.apiserver.admission.AdmissionChain;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.errors.StatusCause;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The generic create/get/update of every resource, as upstream's registry.Store: metadata the
 * server owns (uid, timestamps, resourceVersion, generation), namespace lifecycle, the kind's
 * strategy, optimistic concurrency and the status subresource rules.
 */
public final class ResourceStore {
  // Kinds upstream lets a PUT create (AllowCreateOnUpdate).
  private static final Set<String> CREATE_ON_UPDATE =
      Set.of(
          "endpoints",
          "events",
          "limitranges",
          "leases",
          "endpointslices",
          "roles",
          "rolebindings",
          "clusterroles",
          "clusterrolebindings");
  private static final int MAX_RETRIES = 16;

  private final Store store;
  private final ResourceRegistry registry;
  private final Codec codec;
  private final NamespaceLookup namespaces;
  private final Clock clock;
  private volatile AdmissionChain admission = AdmissionChain.NONE;

  public ResourceStore(
      Store store, ResourceRegistry registry, NamespaceLookup namespaces, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.codec = new Codec(registry);
    this.namespaces = namespaces;
    this.clock = clock;
  }

  /** The admission plugins every create and update passes (none until set). */
  public void setAdmission(AdmissionChain admission) {
    this.admission = admission;
  }

  public Store store() {
    return store;
  }

  public Codec codec() {
    return codec;
  }

  public NamespaceLookup namespaces() {
    return namespaces;
  }

  public Clock clock() {
    return clock;
  }

  /** The kind's strategy; it sees objects in the storage shape. */
  public ResourceStrategy strategy(ResourceType t) {
    return registry.strategy(codec.storageType(t));
  }

  /** The current object in the served version with its resourceVersion. */
  public ObjectNode get(ResourceType t, String ns, String name) {
    return read(t, ns, name).orElseThrow(() -> ApiException.notFound(t, name));
  }

  public Optional<ObjectNode> read(ResourceType t, String ns, String name) {
    return store.get(codec.key(t, ns, name)).map(kv -> codec.toServed(Codec.decode(kv), t));
  }

  /** Creates {@code obj} (served version) in {@code ns}; returns it as stored. */
  public ObjectNode create(ResourceType t, String ns, ObjectNode served, boolean dryRun) {
    return create(t, ns, served, dryRun, FieldTracking.KEEP);
  }

  /** As {@link #create(ResourceType, String, ObjectNode, boolean)}, recording managed fields. */
  public ObjectNode create(
      ResourceType t, String ns, ObjectNode served, boolean dryRun, FieldTracking tracking) {
    return createEncoded(t, ns, served, dryRun, tracking).object();
  }

  /**
   * A created object and, when it was stored in the shape it is served in, its JSON as a response
   * sends it (else null): spliced from the stored bytes, not serialised again.
   */
  public record Created(ObjectNode object, byte[] json) {}

  /** As {@link #create(ResourceType, String, ObjectNode, boolean, FieldTracking)}, encoded. */
  public Created createEncoded(
      ResourceType t, String ns, ObjectNode served, boolean dryRun, FieldTracking tracking) {
    prepareMetadataForCreate(t, ns, served, Json.metadata(served));
    String name = ObjectMeta.name(served);
    if (t.namespaced()) {
      checkNamespaceAcceptsContent(t, ns, name);
    }
    var attributes = new AdmissionAttributes(t, ns, name, AdmissionAttributes.Operation.CREATE, "");
    admission.admit(attributes, served, null, dryRun);
    ObjectNode obj = codec.toStorage(served, t);
    OmitEmpty.apply(obj, codec.storageType(t).javaType());
    ResourceStrategy s = strategy(t);
    s.prepareForCreate(obj);
    s.applyDefaults(obj);
    List<FieldError> errs = s.validate(obj);
    if (!errs.isEmpty()) {
      throw ApiException.invalid(t, name, errs);
    }
    track(t, tracking, null, obj);
    // Validating plugins must not change the object, so it is handed over without a copy.
    admission.validate(attributes, codec.toServed(obj, t), null, dryRun);
    String key = codec.key(t, ns, name);
    if (dryRun) {
      if (store.get(key).isPresent()) {
        throw ApiException.alreadyExists(t, name);
      }
      return new Created(codec.toServed(obj, t), null);
    }
    try {
      // Absent rather than empty, so that it is written last in metadata, where the splice goes.
      Json.metadata(obj).remove("resourceVersion");
      StoredJson stored = StoredJson.of(obj);
      KeyValue kv = store.create(key, stored.bytes(), 0);
      Json.metadata(obj).put("resourceVersion", Long.toString(kv.modRevision()));
      ObjectNode out = codec.toServed(obj, t);
      return new Created(out, out == obj ? stored.withResourceVersion(kv.modRevision()) : null);
    } catch (StorageException.KeyExists e) {
      throw ApiException.alreadyExists(t, name);
    }
  }

  private void prepareMetadataForCreate(ResourceType t, String ns, ObjectNode obj, ObjectNode m) {
    obj.put("apiVersion", t.groupVersion());
    obj.put("kind", t.kind());
    if (!Json.text(m, "resourceVersion").isEmpty()) {
      throw ApiException.internal("resourceVersion should not be set on objects to be created");
    }
    if (t.namespaced()) {
      m.put("namespace", ns);
    } else {
      m.remove("namespace");
    }
    String name = Json.text(m, "name");
    String generate = Json.text(m, "generateName");
    if (name.isEmpty() && !generate.isEmpty()) {
      name = ObjectMeta.generateName(generate);
      m.put("name", name);
    }
    if (name.isEmpty()) {
      throw ApiException.invalid(
          t, "", List.of(FieldError.required("metadata.name", "name or generateName is required")));
    }
    m.put("uid", ObjectMeta.newUid());
    m.put("creationTimestamp", ObjectMeta.timestamp(clock.instant()));
    m.remove("deletionTimestamp");
    m.remove("deletionGracePeriodSeconds");
    m.remove("selfLink");
    m.remove("managedFields");
    if (strategy(t).tracksGeneration()) {
      m.put("generation", 1);
    } else {
      m.remove("generation");
    }
  }

  private void checkNamespaceAcceptsContent(ResourceType t, String ns, String name) {
    ObjectNode namespace =
        namespaces.find(ns).orElseThrow(() -> ApiException.notFound("", "namespaces", ns));
    if (ObjectMeta.isDeleting(namespace)
        || "Terminating".equals(namespace.path("status").path("phase").asText())) {
      throw new ApiException(
          403,
          "Forbidden",
          ApiException.qualifiedResource(t)
              + " \""
              + name
              + "\" is forbidden: unable to create new content in namespace "
              + ns
              + " because it is being terminated",
          name,
          t.group(),
          t.plural(),
          List.of(
              new StatusCause(
                  "NamespaceTerminating",
                  "namespace " + ns + " is being terminated",
                  "metadata.namespace")),
          0);
    }
  }

  /** Computes the desired object from the current one (null when absent and creatable). */
  @FunctionalInterface
  public interface Updater {
    ObjectNode apply(ObjectNode current);
  }

  /** Result of an update; {@code created} when a PUT created the object. */
  public record UpdateResult(ObjectNode object, boolean created) {}

  /**
   * Reads the current object, applies {@code updater}, and writes the result with compare-and-swap.
   * An object that names a resourceVersion must match it (409 otherwise); one that does not is
   * retried on concurrent writes, as upstream's GuaranteedUpdate.
   *
   * @param subresource "" for the main resource, "status" for a status write
   */
  public UpdateResult update(
      ResourceType t, String ns, String name, String subresource, boolean dryRun, Updater updater) {
    return update(t, ns, name, subresource, dryRun, updater, FieldTracking.KEEP, false);
  }

  /**
   * As {@link #update(ResourceType, String, String, String, boolean, Updater)}, recording managed
   * fields with {@code tracking}; {@code createMissing} lets the write create an absent object
   * (server-side apply does for every kind).
   */
  public UpdateResult update(
      ResourceType t,
      String ns,
      String name,
      String subresource,
      boolean dryRun,
      Updater updater,
      FieldTracking tracking,
      boolean createMissing) {
    String key = codec.key(t, ns, name);
    ResourceType st = codec.storageType(t);
    for (int attempt = 0; ; attempt++) {
      Optional<KeyValue> kv = store.get(key);
      if (kv.isEmpty()) {
        if (!subresource.isEmpty() || !(createMissing || CREATE_ON_UPDATE.contains(t.plural()))) {
          throw ApiException.notFound(t, name);
        }
        ObjectNode desired = updater.apply(null);
        return new UpdateResult(create(t, ns, desired, dryRun, tracking), true);
      }
      ObjectNode old = Codec.decode(kv.get());
      ObjectNode desiredServed = updater.apply(codec.toServed(old.deepCopy(), t));
      String wantRv = ObjectMeta.resourceVersion(desiredServed);
      String oldRv = ObjectMeta.resourceVersion(old);
      if (!wantRv.isEmpty() && !wantRv.equals(oldRv)) {
        throw ApiException.staleUpdate(t, name);
      }
      checkName(name, desiredServed);
      desiredServed.put("apiVersion", t.groupVersion());
      desiredServed.put("kind", t.kind());
      var attributes =
          new AdmissionAttributes(t, ns, name, AdmissionAttributes.Operation.UPDATE, subresource);
      ObjectNode oldServed = codec.toServed(old.deepCopy(), t);
      admission.admit(attributes, desiredServed, oldServed, dryRun);
      ObjectNode desired = codec.toStorage(desiredServed, t);
      ObjectNode updated = prepareUpdate(t, st, ns, name, subresource, desired, old);
      track(t, tracking, oldServed, updated);
      if (updated.equals(old)) {
        return new UpdateResult(codec.toServed(old, t), false);
      }
      admission.validate(attributes, codec.toServed(updated, t), oldServed, dryRun);
      if (dryRun) {
        return new UpdateResult(codec.toServed(updated, t), false);
      }
      try {
        if (deletionCompletes(t, updated)) {
          // The last finalizer is gone: the pending deletion completes now.
          store.delete(key, kv.get().modRevision());
          return new UpdateResult(codec.toServed(updated, t), false);
        }
        KeyValue written = store.update(key, Codec.encode(updated), kv.get().modRevision(), 0);
        Json.metadata(updated).put("resourceVersion", Long.toString(written.modRevision()));
        return new UpdateResult(codec.toServed(updated, t), false);
      } catch (StorageException.Conflict | StorageException.KeyNotFound e) {
        // Try again on the new object: a request that named a resourceVersion fails the check
        // above then, while a patch (its version comes from the object it was applied to) is
        // applied afresh, as upstream's GuaranteedUpdate does.
        if (attempt >= MAX_RETRIES) {
          throw ApiException.staleUpdate(t, name);
        }
      }
    }
  }

  /**
   * True when an update leaves a deleting object nothing to wait for; a namespace also waits for
   * its content finalizers ({@code spec.finalizers}), which the namespace controller clears through
   * {@code finalize}.
   */
  private static boolean deletionCompletes(ResourceType t, ObjectNode updated) {
    boolean namespace = t.group().isEmpty() && t.kind().equals("Namespace");
    return ObjectMeta.isDeleting(updated)
        && ObjectMeta.finalizers(updated).isEmpty()
        && updated.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0
        && !(namespace && !updated.path("spec").path("finalizers").isEmpty());
  }

  /** Sets the managed fields of {@code stored} (storage shape) from its served view. */
  private void track(ResourceType t, FieldTracking tracking, ObjectNode before, ObjectNode stored) {
    ObjectNode after = codec.toServed(stored.deepCopy(), t);
    tracking.track(before, after);
    JsonNode mf = after.path("metadata").get("managedFields");
    if (mf == null) {
      Json.metadata(stored).remove("managedFields");
    } else {
      Json.metadata(stored).set("managedFields", mf);
    }
  }

  /**
   * A write the server makes on its own behalf, such as a binding: the updater's result is stored
   * as is, without the strategy's rules for user updates, retried on concurrent writes.
   */
  public ObjectNode systemUpdate(
      ResourceType t, String ns, String name, boolean dryRun, Updater updater) {
    String key = codec.key(t, ns, name);
    for (int attempt = 0; ; attempt++) {
      KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(t, name));
      ObjectNode updated = updater.apply(codec.toServed(Codec.decode(kv), t));
      if (dryRun) {
        return updated;
      }
      try {
        KeyValue written =
            store.update(key, Codec.encode(codec.toStorage(updated, t)), kv.modRevision(), 0);
        Json.metadata(updated).put("resourceVersion", Long.toString(written.modRevision()));
        return updated;
      } catch (StorageException.Conflict e) {
        if (attempt >= MAX_RETRIES) {
          throw ApiException.staleUpdate(t, name);
        }
      } catch (StorageException.KeyNotFound e) {
        throw ApiException.notFound(t, name);
      }
    }
  }

  private static void checkName(String name, ObjectNode desired) {
    String bodyName = ObjectMeta.name(desired);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
  }

  private ObjectNode prepareUpdate(
      ResourceType t,
      ResourceType st,
      String ns,
      String name,
      String subresource,
      ObjectNode desired,
      ObjectNode old) {
    ObjectNode updated;
    if (subresource.equals("approval")) {
      // Approval writes only the conditions; the certificate comes through status.
      updated = old.deepCopy();
      ObjectNode status = updated.withObjectProperty("status");
      JsonNode conditions = desired.path("status").path("conditions");
      if (conditions.isArray()) {
        status.set("conditions", conditions);
      } else {
        status.remove("conditions");
      }
    } else if (subresource.equals("finalize")) {
      // Finalize writes only the namespace's content finalizers.
      updated = old.deepCopy();
      JsonNode finalizers = desired.path("spec").path("finalizers");
      if (finalizers.isArray()) {
        updated.withObjectProperty("spec").set("finalizers", finalizers);
      } else {
        updated.withObjectProperty("spec").remove("finalizers");
      }
    } else if (subresource.equals("ephemeralcontainers")) {
      // kubectl debug's write: the request's ephemeral containers and nothing else of it.
      updated = EphemeralContainers.apply(old, desired);
    } else if (subresource.equals("status")) {
      updated = old.deepCopy();
      if (desired.has("status")) {
        updated.set("status", desired.get("status"));
      } else {
        updated.remove("status");
      }
    } else {
      updated = desired;
      if (t.hasSubresource("status")) {
        if (old.has("status")) {
          updated.set("status", old.get("status"));
        } else {
          updated.remove("status");
        }
      }
    }
    ObjectNode um = Json.metadata(updated);
    ObjectNode om = (ObjectNode) old.get("metadata");
    updated.put("apiVersion", st.groupVersion());
    updated.put("kind", st.kind());
    um.put("name", name);
    if (t.namespaced()) {
      um.put("namespace", ns);
    } else {
      um.remove("namespace");
    }
    for (String f :
        List.of(
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "resourceVersion")) {
      if (om.has(f)) {
        um.set(f, om.get(f));
      } else {
        um.remove(f);
      }
    }
    um.remove("managedFields");
    um.remove("selfLink");
    OmitEmpty.apply(updated, st.javaType());
    ResourceStrategy s = registry.strategy(st);
    if (subresource.isEmpty()) {
      // The strategy's update hook is for the main resource: it keeps the old status.
      s.prepareForUpdate(updated, old);
    }
    s.applyDefaults(updated);
    if (s.tracksGeneration() && ObjectMeta.specChanged(updated, old)) {
      um.put("generation", om.path("generation").asLong(0) + 1);
    }
    List<FieldError> errs =
        subresource.equals("ephemeralcontainers")
            ? EphemeralContainers.validateUpdate(updated, old)
            : s.validateUpdate(updated, old);
    if (!errs.isEmpty()) {
      throw ApiException.invalid(t, name, errs);
    }
    return updated;
  }
}
