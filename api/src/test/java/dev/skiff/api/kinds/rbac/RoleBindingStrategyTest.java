package dev.skiff.api.kinds.rbac;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleBindingStrategyTest {

  private final RoleBindingStrategy strategy = RoleBindingStrategy.roleBinding();

  private ObjectNode binding() {
    ObjectNode b =
        obj(
            "{'metadata':{'name':'read','namespace':'d'},"
                + "'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'view'},"
                + "'subjects':[{'kind':'User','name':'jane'},{'kind':'ServiceAccount','name':'ci','namespace':'d'}]}");
    strategy.applyDefaults(b);
    return b;
  }

  @Test
  void subjectsGetTheirApiGroupAndRowShowsThem() {
    ObjectNode b = binding();
    assertEquals("rbac.authorization.k8s.io", b.at("/subjects/0/apiGroup").asText());
    assertEquals("", b.at("/subjects/1/apiGroup").asText());
    assertEquals(List.of(), strategy.validate(b));
    List<Object> cells = strategy.tableCells(b);
    assertEquals(List.of("read", "ClusterRole/view"), cells.subList(0, 2));
    assertEquals(List.of("jane", "", "d/ci"), cells.subList(3, 6));
  }

  @Test
  void roleRefCannotChange() {
    ObjectNode old = binding();
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.get("roleRef")).put("name", "edit");
    assertEquals(
        List.of(
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"),
        strategy.validateUpdate(update, old).stream().map(FieldError::toString).toList());
  }

  @Test
  void clusterRoleBindingsMayOnlyReferenceClusterRolesAndNeedSaNamespace() {
    ObjectNode b =
        obj(
            "{'metadata':{'name':'x'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'r'},"
                + "'subjects':[{'kind':'ServiceAccount','name':'ci'}]}");
    RoleBindingStrategy crb = RoleBindingStrategy.clusterRoleBinding();
    crb.applyDefaults(b);
    assertEquals(
        List.of(
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].namespace: Required value"),
        crb.validate(b).stream().map(FieldError::toString).toList());
  }
}
