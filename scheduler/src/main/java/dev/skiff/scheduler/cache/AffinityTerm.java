package dev.skiff.scheduler.cache;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed pod (anti-)affinity term: which pods it selects and over which topology domain.
 *
 * @param namespaces explicit namespaces; when empty and there is no namespace selector, the owning
 *     pod's namespace, as upstream
 * @param namespaceSelector selects namespaces by label; null when the term has none
 * @param weight the preference weight, or 0 for a required term
 */
public record AffinityTerm(
    LabelSelector selector,
    Set<String> namespaces,
    LabelSelector namespaceSelector,
    String topologyKey,
    int weight) {

  public static AffinityTerm of(Pod owner, PodAffinityTerm term, int weight) {
    Set<String> namespaces =
        term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
    LabelSelector nsSelector =
        term.getNamespaceSelector() == null
            ? null
            : LabelSelector.fromModel(term.getNamespaceSelector());
    if (namespaces.isEmpty() && nsSelector == null) {
      namespaces = Set.of(owner.getMetadata().getNamespace());
    }
    return new AffinityTerm(
        LabelSelector.fromModel(term.getLabelSelector()),
        namespaces,
        nsSelector,
        term.getTopologyKey(),
        weight);
  }

  /** Whether this term selects the given pod; namespace labels come from the caller's lister. */
  public boolean matches(Pod pod, Function<String, Map<String, String>> namespaceLabels) {
    String ns = pod.getMetadata().getNamespace();
    boolean inNamespace =
        namespaces.contains(ns)
            || (namespaceSelector != null && namespaceSelector.matches(namespaceLabels.apply(ns)));
    if (!inNamespace) {
      return false;
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    return selector.matches(labels == null ? Map.of() : labels);
  }
}
