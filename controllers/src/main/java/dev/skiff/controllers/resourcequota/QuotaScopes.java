package dev.skiff.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The scopes of a quota (spec.scopes and spec.scopeSelector) and whether a pod falls in them. */
final class QuotaScopes {
  private final List<ScopedResourceSelectorRequirement> requirements = new ArrayList<>();

  QuotaScopes(ResourceQuotaSpec spec) {
    for (String scope : spec.getScopes()) {
      var requirement = new ScopedResourceSelectorRequirement();
      requirement.setScopeName(scope);
      requirement.setOperator("Exists");
      requirements.add(requirement);
    }
    if (spec.getScopeSelector() != null) {
      requirements.addAll(spec.getScopeSelector().getMatchExpressions());
    }
  }

  /** A scoped quota tracks pods only. */
  boolean isScoped() {
    return !requirements.isEmpty();
  }

  boolean matches(Pod pod) {
    for (ScopedResourceSelectorRequirement r : requirements) {
      if (!matches(r, pod)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(ScopedResourceSelectorRequirement r, Pod pod) {
    return switch (r.getScopeName()) {
      case "Terminating" -> PodUsage.isTerminating(pod);
      case "NotTerminating" -> !PodUsage.isTerminating(pod);
      case "BestEffort" -> PodUsage.isBestEffort(pod);
      case "NotBestEffort" -> !PodUsage.isBestEffort(pod);
      case "PriorityClass" -> matchesPriorityClass(r, pod.getSpec().getPriorityClassName());
      case "CrossNamespacePodAffinity" -> hasCrossNamespaceAffinity(pod);
      default -> false;
    };
  }

  private static boolean matchesPriorityClass(ScopedResourceSelectorRequirement r, String name) {
    boolean set = name != null && !name.isEmpty();
    return switch (Objects.toString(r.getOperator(), "")) {
      case "Exists" -> set;
      case "DoesNotExist" -> !set;
      case "In" -> set && r.getValues().contains(name);
      case "NotIn" -> !set || !r.getValues().contains(name);
      default -> false;
    };
  }

  private static boolean hasCrossNamespaceAffinity(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null) {
      return false;
    }
    List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms = new ArrayList<>();
    if (affinity.getPodAffinity() != null) {
      terms.addAll(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
      affinity
          .getPodAffinity()
          .getPreferredDuringSchedulingIgnoredDuringExecution()
          .forEach(w -> terms.add(w.getPodAffinityTerm()));
    }
    if (affinity.getPodAntiAffinity() != null) {
      terms.addAll(
          affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
      affinity
          .getPodAntiAffinity()
          .getPreferredDuringSchedulingIgnoredDuringExecution()
          .forEach(w -> terms.add(w.getPodAffinityTerm()));
    }
    return terms.stream()
        .anyMatch(t -> !t.getNamespaces().isEmpty() || t.getNamespaceSelector() != null);
  }
}
