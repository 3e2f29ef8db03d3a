package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.apiserver.registry.ResourceStore;
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

  /** Upstream's default plugins that apply to what Skiff serves, reading through {@code store}. */
  public static AdmissionChain standard(ResourceStore store, ResourceRegistry registry) {
    ClusterObjects objects = new ClusterObjects(store, registry);
    return new AdmissionChain(
        List.of(new LimitRanger(objects), new ResourceQuotaAdmission(objects)));
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
