package dev.skiff.api.kinds.rbac;

import static dev.skiff.api.kinds.Json.obj;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoleStrategyTest {

  @Test
  void rulesNeedVerbsAndApiGroups() {
    assertEquals(
        List.of(
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group"),
        messages(
            RoleStrategy.role()
                .validate(
                    obj(
                        "{'metadata':{'name':'r','namespace':'d'},'rules':[{'resources':['pods']}]}"))));
  }

  @Test
  void onlyClusterRolesGrantNonResourceUrls() {
    String rule = "'rules':[{'nonResourceURLs':['/healthz'],'verbs':['get']}]";
    assertEquals(
        List.of(
            "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot"
                + " apply to non-resource URLs"),
        messages(
            RoleStrategy.role()
                .validate(obj("{'metadata':{'name':'r','namespace':'d'}," + rule + "}"))));
    assertEquals(
        List.of(),
        RoleStrategy.clusterRole().validate(obj("{'metadata':{'name':'system:r'}," + rule + "}")));
  }
}
