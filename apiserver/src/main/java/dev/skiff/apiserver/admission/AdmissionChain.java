package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.watch.WatchCacheSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugins in upstream's order: every mutating phase runs before any validating one, so
 * validation sees the object as every plugin left it.
 */
public final class AdmissionChain {
  /** No admission at all. */
  public static final AdmissionChain NONE = new AdmissionChain(List.of());

  private final List<AdmissionPlugin> plugins;

  public AdmissionChain(List<AdmissionPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  /**
   * Upstream's default plugins that apply to what Skiff serves, reading through {@code store}.
   * {@code serviceAccounts} enables the ServiceAccount plugin, which only makes sense where the
   * server authenticates the tokens it projects into pods and a controller creates the default
   * accounts.
   */
  public static AdmissionChain standard(
      ResourceStore store, ResourceRegistry registry, boolean serviceAccounts) {
    return standard(store, registry, serviceAccounts, null);
  }

  /**
   * As {@link #standard(ResourceStore, ResourceRegistry, boolean)}, with quota admission skipping
   * the namespaces where {@code caches} shows no ResourceQuota.
   */
  public static AdmissionChain standard(
      ResourceStore store,
      ResourceRegistry registry,
      boolean serviceAccounts,
      WatchCacheSet caches) {
    ClusterObjects objects = new ClusterObjects(store, registry, caches);
    List<AdmissionPlugin> plugins = new ArrayList<>();
    plugins.add(objects.writeObserver());
    plugins.add(new LimitRanger(objects));
    if (serviceAccounts) {
      plugins.add(new ServiceAccountAdmission(objects));
    }
    plugins.add(new NodeRestriction(objects));
    plugins.addAll(
        List.of(
            new PriorityAdmission(objects),
            new DefaultTolerationSeconds(),
            new DefaultStorageClass(objects),
            new ResourceQuotaAdmission(objects, caches)));
    return new AdmissionChain(plugins);
  }

  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    for (AdmissionPlugin p : plugins) {
      p.admit(a, object, oldObject, dryRun);
    }
  }

  public void validate(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    for (AdmissionPlugin p : plugins) {
      p.validate(a, object, oldObject, dryRun);
    }
  }
}
