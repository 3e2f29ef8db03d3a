package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.registry.ResourceStore;

/**
 * Puts the bootstrap policy in place at start, as upstream's RBAC post-start hook: missing roles
 * and bindings are created; existing ones annotated {@code autoupdate: "true"} regain any rule or
 * subject they lost, keeping what an administrator added; {@code "false"} leaves them alone.
 */
public final class PolicyReconciler {
  private static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";

  private PolicyReconciler() {}

  public static void run(ResourceStore resources, ResourceRegistry registry) {
    ResourceType roles = registry.find(RbacAuthorizer.RBAC, "v1", "clusterroles").orElseThrow();
    ResourceType bindings =
        registry.find(RbacAuthorizer.RBAC, "v1", "clusterrolebindings").orElseThrow();
    for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
      reconcile(resources, roles, role, "rules");
    }
    for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
      reconcile(resources, bindings, binding, "subjects");
    }
  }

  private static void reconcile(
      ResourceStore resources, ResourceType t, ObjectNode wanted, String listField) {
    String name = wanted.path("metadata").path("name").asText();
    var existing = resources.read(t, "", name);
    if (existing.isEmpty()) {
      try {
        resources.create(t, "", wanted, false);
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw new IllegalStateException("cannot create " + t.kind() + " " + name, e);
        }
      }
      return;
    }
    JsonNode current = existing.get();
    if (current.path("metadata").path("annotations").path(AUTOUPDATE).asText().equals("false")
        || (current.has("aggregationRule") && listField.equals("rules"))
        || covers(current.path(listField), wanted.path(listField))) {
      return;
    }
    resources.systemUpdate(
        t,
        "",
        name,
        false,
        cur -> {
          ArrayNode list =
              cur.has(listField) && cur.get(listField).isArray()
                  ? (ArrayNode) cur.get(listField)
                  : cur.putArray(listField);
          for (JsonNode w : wanted.path(listField)) {
            if (!contains(list, w)) {
              list.add(w);
            }
          }
          return cur;
        });
  }

  private static boolean covers(JsonNode current, JsonNode wanted) {
    for (JsonNode w : wanted) {
      if (!contains(current, w)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(JsonNode list, JsonNode item) {
    for (JsonNode n : list) {
      if (n.equals(item)) {
        return true;
      }
    }
    return false;
  }
}
