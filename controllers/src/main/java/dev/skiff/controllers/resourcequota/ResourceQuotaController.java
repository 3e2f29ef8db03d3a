package dev.skiff.controllers.resourcequota;

import dev.skiff.api.quantity.Quantity;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each ResourceQuota's {@code status.hard} and {@code status.used} current: usage is
 * recomputed whenever a counted object in its namespace changes, and every {@link #RESYNC} for
 * resources counted by listing ({@code count/<resource>.<group>}).
 */
public final class ResourceQuotaController extends QueueController {
  static final Duration RESYNC = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final SharedIndexInformer<ResourceQuota> quotas;
  private final QuotaUsage usage;
  private ScheduledExecutorService resync;

  public ResourceQuotaController(ControllerContext context) {
    super("resourcequota");
    this.client = context.client();
    var informers = context.informers();
    this.quotas = informers.of(ResourceQuota.class);
    SharedIndexInformer<Pod> pods = informers.of(Pod.class);
    SharedIndexInformer<Service> services = informers.of(Service.class);
    SharedIndexInformer<ConfigMap> configMaps = informers.of(ConfigMap.class);
    SharedIndexInformer<Secret> secrets = informers.of(Secret.class);
    SharedIndexInformer<PersistentVolumeClaim> claims = informers.of(PersistentVolumeClaim.class);
    SharedIndexInformer<ReplicationController> rcs = informers.of(ReplicationController.class);
    this.usage = new QuotaUsage(client, pods, services, configMaps, secrets, claims, rcs, quotas);
    quotas.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(Handlers.any(this::namespaceChanged));
    services.addEventHandler(Handlers.any(this::namespaceChanged));
    configMaps.addEventHandler(Handlers.any(this::namespaceChanged));
    secrets.addEventHandler(Handlers.any(this::namespaceChanged));
    claims.addEventHandler(Handlers.any(this::namespaceChanged));
    rcs.addEventHandler(Handlers.any(this::namespaceChanged));
  }

  @Override
  public synchronized void start(int workers) {
    resync =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("resourcequota-resync").factory());
    resync.scheduleWithFixedDelay(
        () -> quotas.getStore().list().forEach(this::enqueue),
        RESYNC.toMillis(),
        RESYNC.toMillis(),
        TimeUnit.MILLISECONDS);
    super.start(workers);
  }

  @Override
  public synchronized void close() {
    if (resync != null) {
      resync.shutdownNow();
      resync = null;
    }
    super.close();
  }

  private void namespaceChanged(HasMetadata object) {
    for (ResourceQuota quota :
        quotas.getIndexer().byIndex(Cache.NAMESPACE_INDEX, object.getMetadata().getNamespace())) {
      enqueue(quota);
    }
  }

  @Override
  protected void reconcile(String key) {
    ResourceQuota quota = quotas.getIndexer().getByKey(key);
    if (quota == null || quota.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String namespace = quota.getMetadata().getNamespace();
    QuotaScopes scopes = new QuotaScopes(quota.getSpec());
    Map<String, io.fabric8.kubernetes.api.model.Quantity> hard = new TreeMap<>();
    Map<String, io.fabric8.kubernetes.api.model.Quantity> used = new TreeMap<>();
    for (var entry : quota.getSpec().getHard().entrySet()) {
      hard.put(entry.getKey(), entry.getValue());
      Optional<Quantity> measured = usage.used(namespace, entry.getKey(), scopes);
      measured.ifPresent(
          q ->
              used.put(entry.getKey(), new io.fabric8.kubernetes.api.model.Quantity(q.toString())));
    }
    var status = quota.getStatus();
    if (status != null && same(status.getHard(), hard) && same(status.getUsed(), used)) {
      return;
    }
    ResourceQuota updated =
        new ResourceQuotaBuilder(quota)
            .withNewStatus()
            .withHard(hard)
            .withUsed(used)
            .endStatus()
            .build();
    try {
      client.resourceQuotas().inNamespace(namespace).resource(updated).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static boolean same(
      Map<String, io.fabric8.kubernetes.api.model.Quantity> a,
      Map<String, io.fabric8.kubernetes.api.model.Quantity> b) {
    if (a == null || a.size() != b.size()) {
      return false;
    }
    for (var entry : b.entrySet()) {
      var other = a.get(entry.getKey());
      if (other == null
          || !Quantity.parse(other.toString())
              .equals(Quantity.parse(entry.getValue().toString()))) {
        return false;
      }
    }
    return true;
  }
}
