package dev.skiff.controllers.framework;

import dev.skiff.api.informers.RelistingInformer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Shared informers, one per resource type, so that every controller reads the same cache and the
 * API server sees one watch per type. Each informer indexes objects by namespace and by the UIDs of
 * their owners.
 */
public final class Informers implements AutoCloseable {
  /** Index of objects by the UID of each of their ownerReferences. */
  public static final String OWNER_UID_INDEX = "ownerUid";

  private final KubernetesClient client;
  private final Map<Object, SharedIndexInformer<? extends HasMetadata>> informers =
      new ConcurrentHashMap<>();
  private volatile boolean started;

  public Informers(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The shared informer of {@code type}, created on first use and started with the others. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
    return (SharedIndexInformer<T>)
        informers.computeIfAbsent(
            type, t -> prepare(RelistingInformer.of(client.resources(type).inAnyNamespace())));
  }

  /** The shared informer of a resource known only through discovery. */
  @SuppressWarnings("unchecked")
  public SharedIndexInformer<GenericKubernetesResource> of(ResourceDefinitionContext resource) {
    String key = resource.getGroup() + "/" + resource.getVersion() + "/" + resource.getPlural();
    return (SharedIndexInformer<GenericKubernetesResource>)
        informers.computeIfAbsent(
            key,
            k -> {
              var operation = client.genericKubernetesResources(resource);
              return prepare(
                  resource.isNamespaceScoped()
                      ? RelistingInformer.of(operation.inAnyNamespace())
                      : RelistingInformer.of(operation));
            });
  }

  private <T extends HasMetadata> SharedIndexInformer<T> prepare(SharedIndexInformer<T> informer) {
    informer.addIndexers(Map.of(OWNER_UID_INDEX, ownerUids()));
    if (started) {
      informer.start();
    }
    return informer;
  }

  private static <T extends HasMetadata> Function<T, List<String>> ownerUids() {
    return object -> {
      List<String> uids = new ArrayList<>();
      for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
        uids.add(ref.getUid());
      }
      return uids;
    };
  }

  /** Starts every informer and waits until each has listed its resources once. */
  public void start(Duration timeout) throws Exception {
    started = true;
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers.values()) {
      syncs.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    started = false;
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
  }
}
