package dev.skiff.controllers.serviceaccount;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * Ensures the {@code default} ServiceAccount exists in every active namespace, recreating it if it
 * is deleted; pods created without a service account name wait for it in admission.
 */
public final class ServiceAccountsController extends QueueController {
  public static final String DEFAULT = "default";

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ServiceAccount> accounts;

  public ServiceAccountsController(ControllerContext context) {
    super("serviceaccount");
    this.client = context.client();
    this.namespaces = context.informers().of(Namespace.class);
    this.accounts = context.informers().of(ServiceAccount.class);
    namespaces.addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), n -> {}));
    accounts.addEventHandler(
        Handlers.of(
            a -> {},
            (o, n) -> {},
            a -> {
              if (DEFAULT.equals(a.getMetadata().getName())) {
                enqueue(a.getMetadata().getNamespace());
              }
            }));
  }

  @Override
  protected void reconcile(String namespace) {
    Namespace ns = namespaces.getIndexer().getByKey(namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    if (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
      return;
    }
    if (accounts.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, DEFAULT)) != null) {
      return;
    }
    ServiceAccount account =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(DEFAULT)
            .withNamespace(namespace)
            .endMetadata()
            .build();
    try {
      client.serviceAccounts().inNamespace(namespace).resource(account).create();
    } catch (KubernetesClientException e) {
      // 409: our cache lags behind. QueueController drops a terminating namespace's refusal, and
      // retries any other: a 404 may come from a server that has not yet seen the namespace whose
      // creation we just saw.
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
