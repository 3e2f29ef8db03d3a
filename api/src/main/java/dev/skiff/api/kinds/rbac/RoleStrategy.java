package dev.skiff.api.kinds.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * Roles and ClusterRoles: every rule needs verbs, resource rules need API groups, and only cluster
 * roles may grant non-resource URLs. Both print upstream's NAME / CREATED AT.
 */
public final class RoleStrategy extends DefaultStrategy {

  private final boolean clusterScoped;

  private RoleStrategy(boolean clusterScoped) {
    super(!clusterScoped, NameValidation.PATH_SEGMENT_NAME, false);
    this.clusterScoped = clusterScoped;
  }

  public static RoleStrategy role() {
    return new RoleStrategy(false);
  }

  public static RoleStrategy clusterRole() {
    return new RoleStrategy(true);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode role) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode rules = role.path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String p = "rules[" + i + "]";
      if (rule.path("verbs").isEmpty()) {
        errs.add(FieldError.required(p + ".verbs", "verbs must contain at least one value"));
      }
      JsonNode urls = rule.path("nonResourceURLs");
      if (!urls.isEmpty()) {
        if (!clusterScoped) {
          errs.add(
              FieldError.invalid(
                  p + ".nonResourceURLs",
                  new GoSyntax(goStrings(urls)),
                  "namespaced rules cannot apply to non-resource URLs"));
        }
        if (!rule.path("apiGroups").isEmpty() || !rule.path("resources").isEmpty()) {
          errs.add(
              FieldError.invalid(
                  p + ".nonResourceURLs",
                  new GoSyntax(goStrings(urls)),
                  "rules cannot apply to both regular resources and non-resource URLs"));
        }
        continue;
      }
      if (rule.path("apiGroups").isEmpty()) {
        errs.add(
            FieldError.required(
                p + ".apiGroups", "resource rules must supply at least one api group"));
      }
      if (rule.path("resources").isEmpty()) {
        errs.add(
            FieldError.required(
                p + ".resources", "resource rules must supply at least one resource"));
      }
    }
    return errs;
  }

  static String goStrings(JsonNode values) {
    StringBuilder b = new StringBuilder("[]string{");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(GoSyntax.quote(values.get(i).asText()));
    }
    return b.append('}').toString();
  }
}
