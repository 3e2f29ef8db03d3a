package dev.skiff.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The five conditions upstream's namespace controller sets on a Terminating namespace, each saying
 * either that a step is done or what still blocks it.
 */
final class NamespaceConditions {
  private final List<String> discoveryFailures = new ArrayList<>();
  private final List<String> deletionFailures = new ArrayList<>();
  private final Map<String, Integer> remainingByResource = new TreeMap<>();
  private final Map<String, Integer> remainingByFinalizer = new TreeMap<>();

  void discoveryFailed(List<String> groupVersions) {
    discoveryFailures.addAll(groupVersions);
  }

  void deletionFailed(String resource, String message) {
    deletionFailures.add(resource + ": " + message);
  }

  void remaining(String resource, int count, List<String> finalizers) {
    remainingByResource.merge(resource, count, Integer::sum);
    for (String finalizer : finalizers) {
      remainingByFinalizer.merge(finalizer, 1, Integer::sum);
    }
  }

  boolean contentGone() {
    return remainingByResource.isEmpty()
        && deletionFailures.isEmpty()
        && discoveryFailures.isEmpty();
  }

  List<NamespaceCondition> build(String now) {
    List<NamespaceCondition> conditions = new ArrayList<>();
    conditions.add(
        discoveryFailures.isEmpty()
            ? condition(
                "NamespaceDeletionDiscoveryFailure",
                "False",
                "ResourcesDiscovered",
                "All resources successfully discovered",
                now)
            : condition(
                "NamespaceDeletionDiscoveryFailure",
                "True",
                "DiscoveryFailed",
                "Discovery failed for some groups, "
                    + discoveryFailures.size()
                    + " failing: "
                    + String.join(", ", discoveryFailures),
                now));
    conditions.add(
        condition(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed",
            now));
    conditions.add(
        deletionFailures.isEmpty()
            ? condition(
                "NamespaceDeletionContentFailure",
                "False",
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization",
                now)
            : condition(
                "NamespaceDeletionContentFailure",
                "True",
                "ContentDeletionFailed",
                "Failed to delete all resource types, "
                    + deletionFailures.size()
                    + " remaining: "
                    + String.join(", ", deletionFailures),
                now));
    conditions.add(
        remainingByResource.isEmpty()
            ? condition(
                "NamespaceContentRemaining",
                "False",
                "ContentRemoved",
                "All content successfully removed",
                now)
            : condition(
                "NamespaceContentRemaining",
                "True",
                "SomeResourcesRemain",
                "Some resources are remaining: "
                    + describe(remainingByResource, " has %d resource instances"),
                now));
    conditions.add(
        remainingByFinalizer.isEmpty()
            ? condition(
                "NamespaceFinalizersRemaining",
                "False",
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished",
                now)
            : condition(
                "NamespaceFinalizersRemaining",
                "True",
                "SomeFinalizersRemain",
                "Some content in the namespace has finalizers remaining: "
                    + describe(remainingByFinalizer, " in %d resource instances"),
                now));
    return conditions;
  }

  private static String describe(Map<String, Integer> counts, String format) {
    List<String> parts = new ArrayList<>();
    counts.forEach((name, count) -> parts.add(name + String.format(format, count)));
    return String.join(", ", parts);
  }

  private static NamespaceCondition condition(
      String type, String status, String reason, String message, String now) {
    return new NamespaceConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(now)
        .build();
  }
}
