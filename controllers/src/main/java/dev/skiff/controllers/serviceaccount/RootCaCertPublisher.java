package dev.skiff.controllers.serviceaccount;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes the cluster's CA bundle as the {@code kube-root-ca.crt} ConfigMap (key {@code ca.crt})
 * in every active namespace, so pods can verify the API server; edits to it are reverted and a
 * deleted one is recreated.
 */
public final class RootCaCertPublisher extends QueueController {
  public static final String CONFIG_MAP = "kube-root-ca.crt";
  public static final String KEY = "ca.crt";

  private final KubernetesClient client;
  private final String caBundle;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ConfigMap> configMaps;

  public RootCaCertPublisher(ControllerContext context, String caBundle) {
    super("root-ca-cert-publisher");
    if (caBundle == null || caBundle.isBlank()) {
      throw new IllegalArgumentException("root-ca-cert-publisher needs a CA bundle");
    }
    this.client = context.client();
    this.caBundle = caBundle;
    this.namespaces = context.informers().of(Namespace.class);
    this.configMaps = context.informers().of(ConfigMap.class);
    namespaces.addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), n -> {}));
    configMaps.addEventHandler(
        Handlers.any(
            cm -> {
              if (CONFIG_MAP.equals(cm.getMetadata().getName())) {
                enqueue(cm.getMetadata().getNamespace());
              }
            }));
  }

  @Override
  protected void reconcile(String namespace) {
    Namespace ns = namespaces.getIndexer().getByKey(namespace);
    if (ns == null
        || ns.getMetadata().getDeletionTimestamp() != null
        || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()))) {
      return;
    }
    ConfigMap existing =
        configMaps.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, CONFIG_MAP));
    // A namespace that began terminating meanwhile refuses the write; QueueController drops the
    // key then. Any other failure, a 404 from a server that has not yet seen a namespace just
    // created included, is retried.
    if (existing == null) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(CONFIG_MAP)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withData(Map.of(KEY, caBundle))
                  .build())
          .create();
    } else if (existing.getMetadata().getDeletionTimestamp() == null
        && !Objects.equals(existing.getData(), Map.of(KEY, caBundle))) {
      ConfigMap fixed = new ConfigMapBuilder(existing).withData(Map.of(KEY, caBundle)).build();
      client.configMaps().inNamespace(namespace).resource(fixed).update();
    }
  }
}
