package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Upstream's RBAC authorizer: the rules of every ClusterRoleBinding naming the user, and in a
 * namespace those of its RoleBindings, allow a request when any rule matches. RBAC never denies;
 * without a match it has no opinion.
 */
public final class RbacAuthorizer implements Authorizer {
  static final String RBAC = "rbac.authorization.k8s.io";
  private static final String SA_PREFIX = "system:serviceaccount:";

  private final ObjectCache cache;

  public RbacAuthorizer(ObjectCache cache) {
    this.cache = cache;
  }

  @Override
  public Decision authorize(Attributes a) {
    return visitRules(a.user(), a.namespace(), rule -> PolicyRules.allows(rule, a))
        ? Decision.ALLOW
        : Decision.NO_OPINION;
  }

  /** Every rule that applies to {@code user} in {@code namespace} (cluster-wide ones included). */
  public List<JsonNode> rulesFor(UserInfo user, String namespace) {
    List<JsonNode> rules = new ArrayList<>();
    visitRules(
        user,
        namespace,
        r -> {
          rules.add(r);
          return false;
        });
    return rules;
  }

  /** Feeds rules to {@code visitor} until it answers true; returns whether it did. */
  private boolean visitRules(UserInfo user, String namespace, Predicate<JsonNode> visitor) {
    for (ObjectNode b : cache.list(RBAC, "clusterrolebindings", "")) {
      if (appliesTo(b, user, "") && visit(roleRules(b, ""), visitor)) {
        return true;
      }
    }
    if (namespace.isEmpty()) {
      return false;
    }
    for (ObjectNode b : cache.list(RBAC, "rolebindings", namespace)) {
      if (appliesTo(b, user, namespace) && visit(roleRules(b, namespace), visitor)) {
        return true;
      }
    }
    return false;
  }

  private static boolean visit(JsonNode rules, Predicate<JsonNode> visitor) {
    for (JsonNode r : rules) {
      if (visitor.test(r)) {
        return true;
      }
    }
    return false;
  }

  private JsonNode roleRules(ObjectNode binding, String namespace) {
    JsonNode ref = binding.path("roleRef");
    String name = ref.path("name").asText();
    var role =
        ref.path("kind").asText().equals("Role")
            ? cache.get(RBAC, "roles", namespace, name)
            : cache.get(RBAC, "clusterroles", "", name);
    return role.map(r -> r.path("rules"))
        .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }

  static boolean appliesTo(JsonNode binding, UserInfo user, String namespace) {
    for (JsonNode s : binding.path("subjects")) {
      if (subjectMatches(s, user, namespace)) {
        return true;
      }
    }
    return false;
  }

  static boolean subjectMatches(JsonNode s, UserInfo user, String namespace) {
    String name = s.path("name").asText();
    return switch (s.path("kind").asText()) {
      case "User" -> user.name().equals(name);
      case "Group" -> user.groups().contains(name);
      case "ServiceAccount" -> {
        String ns = s.path("namespace").asText(namespace);
        if (ns.isEmpty()) {
          ns = namespace;
        }
        yield !ns.isEmpty() && user.name().equals(SA_PREFIX + ns + ":" + name);
      }
      default -> false;
    };
  }
}
