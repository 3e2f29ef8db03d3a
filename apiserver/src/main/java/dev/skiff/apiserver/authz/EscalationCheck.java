package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Upstream's RBAC escalation prevention: writing a Role or ClusterRole needs every permission it
 * grants, or the {@code escalate} verb on it; writing a binding needs every permission of the role
 * it references, or the {@code bind} verb on that role. A patch cannot be judged before it is
 * applied, so it needs {@code escalate} or {@code bind} outright.
 */
public final class EscalationCheck {
  private static final Set<String> ROLES = Set.of("roles", "clusterroles");
  private static final Set<String> BINDINGS = Set.of("rolebindings", "clusterrolebindings");
  private static final Set<String> WRITES = Set.of("create", "update", "patch");

  private final Authorization authz;
  private final ObjectCache cache;

  public EscalationCheck(Authorization authz, ObjectCache cache) {
    this.authz = authz;
    this.cache = cache;
  }

  /** Whether this request writes an RBAC object, and so needs {@link #check}. */
  public static boolean applies(Attributes a) {
    return a.resourceRequest()
        && a.group().equals(RbacAuthorizer.RBAC)
        && a.subresource().isEmpty()
        && WRITES.contains(a.verb())
        && (ROLES.contains(a.resource()) || BINDINGS.contains(a.resource()));
  }

  /**
   * Throws 403 unless {@code a.user()} may write {@code object} (the request body; null for a
   * patch).
   */
  public void check(Attributes a, JsonNode object) {
    UserInfo user = a.user();
    if (user.groups().contains(Authorization.MASTERS)) {
      return;
    }
    boolean role = ROLES.contains(a.resource());
    String name = object == null ? a.name() : object.path("metadata").path("name").asText(a.name());
    JsonNode rules;
    String ns = a.namespace();
    if (role) {
      if (authz.allowed(
          Attributes.resource(user, "escalate", a.group(), a.resource(), "", ns, name))) {
        return;
      }
      rules = object == null ? MissingNode.getInstance() : object.path("rules");
      if (object == null) {
        throw escalation(a, name, List.of("patching a role needs the escalate verb"));
      }
    } else {
      JsonNode ref = object == null ? MissingNode.getInstance() : object.path("roleRef");
      if (object == null) {
        throw escalation(a, name, List.of("patching a binding needs the bind verb"));
      }
      boolean clusterRole = ref.path("kind").asText().equals("ClusterRole");
      String roleName = ref.path("name").asText();
      if (authz.allowed(
          Attributes.resource(
              user,
              "bind",
              a.group(),
              clusterRole ? "clusterroles" : "roles",
              "",
              clusterRole ? "" : ns,
              roleName))) {
        return;
      }
      rules =
          (clusterRole
                  ? cache.get(RbacAuthorizer.RBAC, "clusterroles", "", roleName)
                  : cache.get(RbacAuthorizer.RBAC, "roles", ns, roleName))
              .map(r -> r.path("rules"))
              .orElse(MissingNode.getInstance());
    }
    List<String> missing = new ArrayList<>();
    for (JsonNode rule : rules) {
      missing.addAll(notHeld(user, ns, rule));
    }
    if (!missing.isEmpty()) {
      throw escalation(a, name, missing);
    }
  }

  private List<String> notHeld(UserInfo user, String ns, JsonNode rule) {
    List<String> missing = new ArrayList<>();
    for (JsonNode verb : rule.path("verbs")) {
      for (JsonNode url : rule.path("nonResourceURLs")) {
        if (!authz.allowed(Attributes.nonResource(user, verb.asText(), url.asText()))) {
          missing.add(
              "{NonResourceURLs:[\"" + url.asText() + "\"], Verbs:[\"" + verb.asText() + "\"]}");
        }
      }
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          String[] rs = resource.asText().split("/", 2);
          List<String> names = new ArrayList<>();
          rule.path("resourceNames").forEach(n -> names.add(n.asText()));
          if (names.isEmpty()) {
            names.add("");
          }
          for (String n : names) {
            Attributes want =
                Attributes.resource(
                    user, verb.asText(), group.asText(), rs[0], rs.length > 1 ? rs[1] : "", ns, n);
            if (!authz.allowed(want)) {
              missing.add(
                  "{APIGroups:[\""
                      + group.asText()
                      + "\"], Resources:[\""
                      + resource.asText()
                      + "\"]"
                      + (n.isEmpty() ? "" : ", ResourceNames:[\"" + n + "\"]")
                      + ", Verbs:[\""
                      + verb.asText()
                      + "\"]}");
            }
          }
        }
      }
    }
    return missing;
  }

  private static ApiException escalation(Attributes a, String name, List<String> missing) {
    StringBuilder groups = new StringBuilder();
    for (String g : a.user().groups()) {
      groups.append(groups.isEmpty() ? "" : " ").append('"').append(g).append('"');
    }
    String message =
        a.resource()
            + "."
            + a.group()
            + " \""
            + name
            + "\" is forbidden: user \""
            + a.user().name()
            + "\" (groups=["
            + groups
            + "]) is attempting to grant RBAC permissions not currently held:\n"
            + String.join("\n", missing);
    return new ApiException(403, "Forbidden", message, name, a.group(), a.resource(), List.of(), 0);
  }
}
