package dev.skiff.apiserver.allocation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.registry.ResourceStore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Where the write path meets {@link ServiceAllocations}: a Service's values are taken before it is
 * stored, given back when the write fails, and released once the stored Service no longer holds
 * them. Other kinds pass straight through.
 */
public final class ServiceWrites {
  private final ServiceAllocations allocations;

  public ServiceWrites(ServiceAllocations allocations) {
    this.allocations = allocations;
  }

  public ServiceAllocations allocations() {
    return allocations;
  }

  /** Runs {@code create} on {@code body} with its ClusterIP and NodePorts filled in. */
  public ObjectNode create(
      ResourceType t, ObjectNode body, boolean dryRun, Function<ObjectNode, ObjectNode> create) {
    if (!ServiceAllocations.isService(t)) {
      return create.apply(body);
    }
    ServiceAllocations.Taken taken = allocations.allocate(t, body, dryRun);
    try {
      return create.apply(body);
    } catch (RuntimeException e) {
      allocations.release(taken);
      throw e;
    }
  }

  /**
   * Runs {@code update} with {@code updater} extended to allocate what the new spec needs (the
   * updater may run again after a conflict: what an earlier run took is given back first).
   */
  public ResourceStore.UpdateResult update(
      ResourceType t,
      String subresource,
      boolean dryRun,
      ResourceStore.Updater updater,
      Function<ResourceStore.Updater, ResourceStore.UpdateResult> update) {
    if (!ServiceAllocations.isService(t) || !subresource.isEmpty()) {
      return update.apply(updater);
    }
    AtomicReference<ServiceAllocations.Taken> taken =
        new AtomicReference<>(ServiceAllocations.Taken.NONE);
    AtomicReference<ObjectNode> old = new AtomicReference<>();
    ResourceStore.Updater allocating =
        current -> {
          allocations.release(taken.getAndSet(ServiceAllocations.Taken.NONE));
          ObjectNode desired = updater.apply(current);
          if (current != null) {
            old.set(current.deepCopy());
            taken.set(allocations.reallocate(t, current, desired, dryRun));
          } else {
            // A write that creates (server-side apply) allocates as a create does.
            taken.set(allocations.allocate(t, desired, dryRun));
          }
          return desired;
        };
    ResourceStore.UpdateResult result;
    try {
      result = update.apply(allocating);
    } catch (RuntimeException e) {
      allocations.release(taken.get());
      throw e;
    }
    if (!dryRun && old.get() != null) {
      ObjectNode stored = result.object();
      boolean removed =
          ObjectMeta.isDeleting(stored)
              && ObjectMeta.finalizers(stored).isEmpty()
              && stored.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0;
      allocations.release(
          removed
              ? ServiceAllocations.heldBy(stored)
              : ServiceAllocations.releasedBy(old.get(), stored));
    }
    return result;
  }

  /** Gives back what {@code removed}, a Service just taken out of the store, held. */
  public void deleted(ResourceType t, ObjectNode removed) {
    if (ServiceAllocations.isService(t)) {
      allocations.release(ServiceAllocations.heldBy(removed));
    }
  }
}
