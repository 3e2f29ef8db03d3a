package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a quota's scopes ({@code spec.scopes} and {@code spec.scopeSelector}) take in an object.
 * Scoped quotas track pods only, as upstream's evaluators.
 */
final class QuotaScopes {
  private QuotaScopes() {}

  static boolean matches(JsonNode quota, boolean isPod, JsonNode obj) {
    List<JsonNode> requirements = new ArrayList<>();
    for (JsonNode scope : quota.path("spec").path("scopes")) {
      requirements.add(Json.object().put("scopeName", scope.asText()).put("operator", "Exists"));
    }
    quota.path("spec").path("scopeSelector").path("matchExpressions").forEach(requirements::add);
    if (requirements.isEmpty()) {
      return true;
    }
    if (!isPod) {
      return false;
    }
    for (JsonNode r : requirements) {
      if (!matches(r, obj)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(JsonNode requirement, JsonNode pod) {
    JsonNode spec = pod.path("spec");
    return switch (requirement.path("scopeName").asText()) {
      case "BestEffort" -> isBestEffort(pod);
      case "NotBestEffort" -> !isBestEffort(pod);
      case "Terminating" -> spec.path("activeDeadlineSeconds").asLong(-1) >= 0;
      case "NotTerminating" -> spec.path("activeDeadlineSeconds").asLong(-1) < 0;
      case "PriorityClass" -> priorityClass(requirement, spec.path("priorityClassName").asText(""));
      case "CrossNamespacePodAffinity" -> false;
      default -> false;
    };
  }

  private static boolean priorityClass(JsonNode requirement, String className) {
    List<String> values = new ArrayList<>();
    requirement.path("values").forEach(v -> values.add(v.asText()));
    return switch (requirement.path("operator").asText()) {
      case "In" -> values.contains(className);
      case "NotIn" -> !values.contains(className);
      case "Exists" -> !className.isEmpty();
      case "DoesNotExist" -> className.isEmpty();
      default -> false;
    };
  }

  /** No container requests or limits cpu or memory. */
  static boolean isBestEffort(JsonNode pod) {
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : pod.path("spec").path(list)) {
        for (String kind : List.of("requests", "limits")) {
          JsonNode values = c.path("resources").path(kind);
          if (values.has("cpu") || values.has("memory")) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
