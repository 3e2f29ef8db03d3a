package dev.skiff.controllers.namespace;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Empties a namespace being deleted: every namespaced resource that discovery reports is deleted,
 * status conditions say what still blocks, and once nothing is left the {@code kubernetes}
 * finalizer is removed through the {@code finalize} subresource so the API server can delete the
 * namespace.
 */
public final class NamespaceController extends QueueController {
  static final String FINALIZER = "kubernetes";

  /** How soon to look again while content remains (pods in their grace period, finalizers). */
  static final Duration RECHECK = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final Clock clock;
  private final Supplier<ApiResource.Discovered> discovery;
  private final SharedIndexInformer<Namespace> namespaces;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public NamespaceController(
      ControllerContext context, Supplier<ApiResource.Discovered> discovery) {
    super("namespace");
    this.client = context.client();
    this.clock = context.clock();
    this.discovery = discovery;
    this.namespaces = context.informers().of(Namespace.class);
    namespaces.addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), n -> {}));
  }

  /** Discovers resources anew on each pass, so resources added by CRDs are emptied too. */
  public NamespaceController(ControllerContext context) {
    this(context, () -> ApiResource.discover(context.client()));
  }

  @Override
  protected void reconcile(String name) {
    Namespace ns = namespaces.getIndexer().getByKey(name);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
      return;
    }
    if (ns.getSpec() == null || !ns.getSpec().getFinalizers().contains(FINALIZER)) {
      return;
    }
    NamespaceConditions conditions = new NamespaceConditions();
    ApiResource.Discovered discovered = discovery.get();
    conditions.discoveryFailed(discovered.failedGroupVersions());
    for (ApiResource resource : discovered.resources()) {
      if (resource.namespaced() && resource.supports("list", "delete")) {
        deleteAll(name, resource, conditions);
      }
    }
    for (ApiResource resource : discovered.resources()) {
      if (resource.namespaced() && resource.supports("list")) {
        countRemaining(name, resource, conditions);
      }
    }
    try {
      ns =
          writeStatus(
              ns, conditions.build(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
      if (!conditions.contentGone()) {
        enqueueAfter(name, RECHECK);
        return;
      }
      finalizeNamespace(ns);
    } catch (KubernetesClientException e) {
      // Not found: the namespace is already gone (another deleter finished it), as upstream's
      // namespace deleter counts it, so there is nothing left to do.
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void deleteAll(String namespace, ApiResource resource, NamespaceConditions conditions) {
    var op = client.genericKubernetesResources(resource.context()).inNamespace(namespace);
    try {
      if (resource.supports("deletecollection")) {
        op.delete();
        return;
      }
      for (GenericKubernetesResource item : op.list().getItems()) {
        if (item.getMetadata().getDeletionTimestamp() == null) {
          op.withName(item.getMetadata().getName()).delete();
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        conditions.deletionFailed(resource.qualifiedName(), PodControl.message(e));
      }
    }
  }

  private void countRemaining(
      String namespace, ApiResource resource, NamespaceConditions conditions) {
    try {
      List<GenericKubernetesResource> items =
          client
              .genericKubernetesResources(resource.context())
              .inNamespace(namespace)
              .list()
              .getItems();
      if (!items.isEmpty()) {
        conditions.remaining(
            resource.qualifiedName() + ".",
            items.size(),
            items.stream().flatMap(i -> i.getMetadata().getFinalizers().stream()).toList());
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        conditions.deletionFailed(resource.qualifiedName(), PodControl.message(e));
      }
    }
  }

  private Namespace writeStatus(Namespace ns, List<NamespaceCondition> conditions) {
    Namespace copy =
        new NamespaceBuilder(ns).editOrNewStatus().withPhase("Terminating").endStatus().build();
    List<NamespaceCondition> current = copy.getStatus().getConditions();
    // Keep transition times of conditions that did not change.
    for (NamespaceCondition c : conditions) {
      current.stream()
          .filter(
              old ->
                  old.getType().equals(c.getType())
                      && old.getStatus().equals(c.getStatus())
                      && Objects.equals(old.getReason(), c.getReason()))
          .findFirst()
          .ifPresent(old -> c.setLastTransitionTime(old.getLastTransitionTime()));
    }
    if ("Terminating".equals(ns.getStatus() == null ? null : ns.getStatus().getPhase())
        && conditions.equals(current)) {
      return ns;
    }
    copy.getStatus().setConditions(conditions);
    return client.namespaces().resource(copy).updateStatus();
  }

  /** PUT namespaces/{name}/finalize without the kubernetes finalizer, as upstream does. */
  private void finalizeNamespace(Namespace ns) {
    Namespace copy = new NamespaceBuilder(ns).build();
    copy.getSpec().getFinalizers().remove(FINALIZER);
    String url =
        client.getMasterUrl().toString().replaceAll("/$", "")
            + "/api/v1/namespaces/"
            + ns.getMetadata().getName()
            + "/finalize";
    client.raw(url, "PUT", json.asJson(copy));
  }
}
