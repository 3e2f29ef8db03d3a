package dev.skiff.api.kinds.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * RoleBindings and ClusterRoleBindings: subject API groups defaulted, a roleRef that is valid and
 * never changes, and the ROLE / USERS / GROUPS / SERVICEACCOUNTS columns.
 */
public final class RoleBindingStrategy extends DefaultStrategy {

  static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Role", "string", "RoleRef is the reference to the role the binding grants."),
          TableColumn.AGE,
          TableColumn.wide("Users", "string", "Users in the binding"),
          TableColumn.wide("Groups", "string", "Groups in the binding"),
          TableColumn.wide("ServiceAccounts", "string", "ServiceAccounts in the binding"));

  private final boolean clusterScoped;

  private RoleBindingStrategy(boolean clusterScoped) {
    super(!clusterScoped, NameValidation.PATH_SEGMENT_NAME, false);
    this.clusterScoped = clusterScoped;
  }

  public static RoleBindingStrategy roleBinding() {
    return new RoleBindingStrategy(false);
  }

  public static RoleBindingStrategy clusterRoleBinding() {
    return new RoleBindingStrategy(true);
  }

  @Override
  public void applyDefaults(ObjectNode binding) {
    for (JsonNode s : binding.path("subjects")) {
      if (s instanceof ObjectNode subject && !subject.has("apiGroup")) {
        String kind = subject.path("kind").asText("");
        if (kind.equals("User") || kind.equals("Group")) {
          subject.put("apiGroup", RBAC_GROUP);
        } else if (kind.equals("ServiceAccount")) {
          subject.put("apiGroup", "");
        }
      }
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode binding) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode ref = binding.path("roleRef");
    String group = ref.path("apiGroup").asText("");
    if (!group.equals(RBAC_GROUP)) {
      errs.add(FieldError.notSupported("roleRef.apiGroup", group, List.of(RBAC_GROUP)));
    }
    List<String> kinds = clusterScoped ? List.of("ClusterRole") : List.of("Role", "ClusterRole");
    String kind = ref.path("kind").asText("");
    if (!kinds.contains(kind)) {
      errs.add(FieldError.notSupported("roleRef.kind", kind, kinds));
    }
    String name = ref.path("name").asText("");
    if (name.isEmpty()) {
      errs.add(FieldError.required("roleRef.name", ""));
    } else {
      NameValidation.PATH_SEGMENT_NAME
          .check(name, false)
          .forEach(m -> errs.add(FieldError.invalid("roleRef.name", name, m)));
    }
    JsonNode subjects = binding.path("subjects");
    for (int i = 0; i < subjects.size(); i++) {
      JsonNode s = subjects.get(i);
      String p = "subjects[" + i + "]";
      String subjectKind = s.path("kind").asText("");
      if (!SUBJECT_KINDS.contains(subjectKind)) {
        errs.add(FieldError.notSupported(p + ".kind", subjectKind, SUBJECT_KINDS));
      }
      if (s.path("name").asText("").isEmpty()) {
        errs.add(FieldError.required(p + ".name", ""));
      }
      if (subjectKind.equals("ServiceAccount")) {
        if (!s.path("apiGroup").asText("").isEmpty()) {
          errs.add(
              FieldError.notSupported(p + ".apiGroup", s.path("apiGroup").asText(), List.of("")));
        }
        if (clusterScoped && s.path("namespace").asText("").isEmpty()) {
          errs.add(FieldError.required(p + ".namespace", ""));
        }
      }
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode binding, ObjectNode old) {
    JsonNode ref = binding.path("roleRef");
    if (!ref.equals(old.path("roleRef"))) {
      return List.of(
          FieldError.invalid(
              "roleRef",
              new GoSyntax(
                  "rbac.RoleRef{APIGroup:"
                      + GoSyntax.quote(ref.path("apiGroup").asText(""))
                      + ", Kind:"
                      + GoSyntax.quote(ref.path("kind").asText(""))
                      + ", Name:"
                      + GoSyntax.quote(ref.path("name").asText(""))
                      + "}"),
              "cannot change roleRef"));
    }
    return List.of();
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode binding) {
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      String name = s.path("name").asText("");
      switch (s.path("kind").asText("")) {
        case "User" -> users.add(name);
        case "Group" -> groups.add(name);
        case "ServiceAccount" -> accounts.add(s.path("namespace").asText("") + "/" + name);
        default -> {}
      }
    }
    JsonNode ref = binding.path("roleRef");
    return List.of(
        Printing.name(binding),
        ref.path("kind").asText("") + "/" + ref.path("name").asText(""),
        Printing.age(binding),
        String.join(", ", users),
        String.join(", ", groups),
        String.join(", ", accounts));
  }
}
