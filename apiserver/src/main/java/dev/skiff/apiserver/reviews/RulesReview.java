package dev.skiff.apiserver.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.authz.RbacAuthorizer;
import dev.skiff.apiserver.errors.ApiException;
import java.util.List;

/**
 * SelfSubjectRulesReview, behind {@code kubectl auth can-i --list}: the RBAC rules that apply to
 * the requester in a namespace. Rules the Node authorizer grants are not listable, so a node's
 * answer is marked incomplete, as upstream's.
 */
public final class RulesReview {
  private final RbacAuthorizer rbac;

  public RulesReview(RbacAuthorizer rbac) {
    this.rbac = rbac;
  }

  public ObjectNode review(ResourceType t, ObjectNode review, UserInfo user) {
    String ns = review.path("spec").path("namespace").asText();
    if (ns.isEmpty()) {
      throw ApiException.invalid(t, "", List.of(FieldError.required("spec.namespace", "")));
    }
    ObjectNode status = review.putObject("status");
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (JsonNode rule : rbac.rulesFor(user, ns)) {
      if (rule.path("nonResourceURLs").isEmpty()) {
        ObjectNode r = resourceRules.addObject();
        copy(rule, r, "verbs", "apiGroups", "resources", "resourceNames");
      } else {
        copy(rule, nonResourceRules.addObject(), "verbs", "nonResourceURLs");
      }
    }
    status.put("incomplete", user.groups().contains("system:nodes"));
    return review;
  }

  private static void copy(JsonNode from, ObjectNode to, String... fields) {
    for (String f : fields) {
      if (from.path(f).isArray() && !from.path(f).isEmpty()) {
        to.set(f, from.get(f).deepCopy());
      }
    }
  }
}
