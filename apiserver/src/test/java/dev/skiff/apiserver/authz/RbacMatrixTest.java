package dev.skiff.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.SecureServer;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC decisions asked through SubjectAccessReview of the real server: verbs x resources x subjects
 * over Roles, ClusterRoles, both kinds of binding, resourceNames, subresources, non-resource URLs,
 * wildcards and aggregation; and the Node authorizer's view of a kubelet.
 */
class RbacMatrixTest {
  private static SecureServer server;
  private static HttpClient admin;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.client("admin");
    create("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}");
    create(
        "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
        """
        {"metadata":{"name":"dev"},"rules":[
          {"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]},
          {"apiGroups":[""],"resources":["pods/log"],"verbs":["get"]},
          {"apiGroups":[""],"resources":["configmaps"],"resourceNames":["app-config"],"verbs":["get","update"]},
          {"apiGroups":["apps"],"resources":["deployments"],"verbs":["create"]}]}
        """);
    create(
        "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
        """
        {"metadata":{"name":"dev"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"dev"},
         "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"dana"},
                     {"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"qa"},
                     {"kind":"ServiceAccount","name":"bot"}]}
        """);
    create(
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        """
        {"metadata":{"name":"ops"},"rules":[
          {"apiGroups":[""],"resources":["nodes"],"verbs":["get","list","watch"]},
          {"apiGroups":["*"],"resources":["*/status"],"verbs":["get"]},
          {"nonResourceURLs":["/metrics","/logs/*"],"verbs":["get"]}]}
        """);
    create(
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        """
        {"metadata":{"name":"ops"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"ops"},
         "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"ops"}]}
        """);
    create(
        "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
        """
        {"metadata":{"name":"viewer"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
         "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"vic"}]}
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    admin.shutdownNow();
    server.close();
  }

  private static void create(String path, String body) throws Exception {
    SecureServer.Reply r = server.send(admin, "POST", path, null, body);
    assertEquals(201, r.code(), r.body());
  }

  /** One row of the matrix: subject (user;groups), verb, group/resource[/sub], ns, name. */
  private record Case(
      String user,
      String groups,
      String verb,
      String resource,
      String ns,
      String name,
      boolean allowed) {}

  private static boolean allowed(
      String user, List<String> groups, String verb, String groupResource, String ns, String name)
      throws Exception {
    ObjectNode spec = SecureServer.JSON_MAPPER.createObjectNode();
    spec.put("user", user);
    ArrayNode g = spec.putArray("groups");
    groups.forEach(g::add);
    if (groupResource.startsWith("/")) {
      spec.putObject("nonResourceAttributes").put("verb", verb).put("path", groupResource);
    } else {
      String[] gr = groupResource.split(":");
      String group = gr.length == 2 ? gr[0] : "";
      String[] rs = (gr.length == 2 ? gr[1] : gr[0]).split("/");
      ObjectNode ra = spec.putObject("resourceAttributes");
      ra.put("verb", verb)
          .put("group", group)
          .put("resource", rs[0])
          .put("namespace", ns)
          .put("name", name);
      if (rs.length > 1) {
        ra.put("subresource", rs[1]);
      }
    }
    ObjectNode review = SecureServer.JSON_MAPPER.createObjectNode();
    review.put("apiVersion", "authorization.k8s.io/v1");
    review.put("kind", "SubjectAccessReview");
    review.set("spec", spec);
    SecureServer.Reply r =
        server.send(
            admin,
            "POST",
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            null,
            review.toString());
    assertEquals(201, r.code(), r.body());
    return r.json().path("status").path("allowed").asBoolean();
  }

  private static void check(List<Case> cases) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      String[] ug = c.user().split(";", -1);
      List<String> groups = new ArrayList<>();
      if (ug.length > 1 && !ug[1].isEmpty()) {
        groups.addAll(List.of(ug[1].split(",")));
      }
      groups.add("system:authenticated");
      if (allowed(ug[0], groups, c.verb(), c.resource(), c.ns(), c.name()) != c.allowed()) {
        wrong.add(c.toString());
      }
    }
    assertEquals(List.of(), wrong);
  }

  private static Case allow(String user, String verb, String resource, String ns, String name) {
    return new Case(user, "", verb, resource, ns, name, true);
  }

  private static Case deny(String user, String verb, String resource, String ns, String name) {
    return new Case(user, "", verb, resource, ns, name, false);
  }

  @Test
  void decisionMatrix() throws Exception {
    List<Case> cases = new ArrayList<>();
    // Role via a RoleBinding, for each kind of subject.
    for (String who :
        List.of("dana", "quinn;qa", "system:serviceaccount:team:bot;system:serviceaccounts")) {
      cases.add(allow(who, "get", "pods", "team", "web"));
      cases.add(allow(who, "list", "pods", "team", ""));
      cases.add(deny(who, "watch", "pods", "team", ""));
      cases.add(deny(who, "delete", "pods", "team", "web"));
      cases.add(deny(who, "list", "pods", "default", ""));
      cases.add(deny(who, "list", "pods", "", ""));
      cases.add(allow(who, "get", "pods/log", "team", "web"));
      cases.add(deny(who, "get", "pods/exec", "team", "web"));
      cases.add(allow(who, "get", "configmaps", "team", "app-config"));
      cases.add(allow(who, "update", "configmaps", "team", "app-config"));
      cases.add(deny(who, "get", "configmaps", "team", "other"));
      cases.add(deny(who, "list", "configmaps", "team", ""));
      cases.add(allow(who, "create", "apps:deployments", "team", ""));
      cases.add(deny(who, "create", "deployments", "team", ""));
      cases.add(deny(who, "create", "extensions:deployments", "team", ""));
    }
    cases.add(deny("system:serviceaccount:default:bot", "get", "pods", "team", "web"));
    cases.add(deny("eve", "get", "pods", "team", "web"));
    cases.add(deny("danagroup;dana", "get", "pods", "team", "web"));
    // ClusterRole via a ClusterRoleBinding to a group: every namespace, wildcards, URLs.
    cases.add(allow("oscar;ops", "list", "nodes", "", ""));
    cases.add(deny("oscar;ops", "delete", "nodes", "", "n1"));
    cases.add(allow("oscar;ops", "get", "pods/status", "team", "web"));
    cases.add(allow("oscar;ops", "get", "apps:deployments/status", "default", "d"));
    cases.add(deny("oscar;ops", "update", "pods/status", "team", "web"));
    cases.add(deny("oscar;ops", "get", "pods", "team", "web"));
    cases.add(allow("oscar;ops", "get", "/metrics", "", ""));
    cases.add(allow("oscar;ops", "get", "/logs/kubelet.log", "", ""));
    cases.add(deny("oscar;ops", "post", "/metrics", "", ""));
    cases.add(deny("oscar;ops", "get", "/metricsx", "", ""));
    // A ClusterRole (the aggregated view) through a RoleBinding: that namespace only.
    cases.add(allow("vic", "list", "apps:deployments", "team", ""));
    cases.add(allow("vic", "get", "pods/log", "team", "p"));
    cases.add(deny("vic", "get", "secrets", "team", "s"));
    cases.add(deny("vic", "create", "pods", "team", ""));
    cases.add(deny("vic", "list", "pods", "default", ""));
    cases.add(deny("vic", "get", "pods/exec", "team", "p"));
    // Bootstrap policy.
    cases.add(allow("anyone", "get", "/apis/apps/v1", "", ""));
    cases.add(allow("anyone", "create", "authorization.k8s.io:selfsubjectaccessreviews", "", ""));
    cases.add(deny("anyone", "create", "authorization.k8s.io:subjectaccessreviews", "", ""));
    cases.add(allow("root;system:masters", "delete", "nodes", "", "n1"));
    cases.add(allow("system:kube-scheduler", "create", "pods/binding", "team", "p"));
    cases.add(allow("system:kube-scheduler", "watch", "pods", "", ""));
    cases.add(deny("system:kube-scheduler", "get", "secrets", "team", "s"));
    cases.add(
        allow("system:kube-controller-manager", "update", "apps:replicasets/status", "team", "r"));
    cases.add(allow("system:kube-controller-manager", "create", "pods", "team", ""));
    cases.add(allow("system:kube-proxy", "watch", "discovery.k8s.io:endpointslices", "", ""));
    cases.add(deny("system:kube-proxy", "get", "secrets", "team", "s"));
    cases.add(allow("system:kube-dns", "list", "services", "", ""));
    cases.add(
        allow(
            "system:serviceaccount:kube-system:kube-dns;system:serviceaccounts",
            "watch",
            "namespaces",
            "",
            ""));
    cases.add(deny("system:kube-dns", "create", "services", "team", ""));
    cases.add(
        allow(
            "bootstrapper;system:bootstrappers",
            "create",
            "certificates.k8s.io:certificatesigningrequests",
            "",
            ""));
    cases.add(
        allow(
            "bootstrapper;system:bootstrappers",
            "create",
            "certificates.k8s.io:certificatesigningrequests/nodeclient",
            "",
            ""));
    cases.add(deny("bootstrapper;system:bootstrappers", "list", "nodes", "", ""));
    check(cases);
  }

  @Test
  void aggregatedClusterRolesFollowTheirSelectedRoles() throws Exception {
    create(
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        """
        {"metadata":{"name":"monitoring"},
         "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"example.com/aggregate-to-monitoring":"true"}}]},
         "rules":[]}
        """);
    create(
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        """
        {"metadata":{"name":"monitoring"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"monitoring"},
         "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mon"}]}
        """);
    List<String> groups = List.of("system:authenticated");
    assertEquals(false, allowed("mon", groups, "list", "endpoints", "team", ""));
    create(
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        """
        {"metadata":{"name":"monitoring-endpoints","labels":{"example.com/aggregate-to-monitoring":"true"}},
         "rules":[{"apiGroups":[""],"resources":["endpoints"],"verbs":["list"]}]}
        """);
    Awaitility.await().until(() -> allowed("mon", groups, "list", "endpoints", "team", ""));
    assertEquals(false, allowed("mon", groups, "list", "services", "team", ""));
    SecureServer.Reply role =
        server.send(
            admin, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/monitoring", null, null);
    assertEquals("endpoints", role.json().path("rules").path(0).path("resources").path(0).asText());
    server.send(
        admin,
        "DELETE",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/monitoring-endpoints",
        null,
        null);
    Awaitility.await().until(() -> !allowed("mon", groups, "list", "endpoints", "team", ""));
  }

  @Test
  void kubeletSeesOnlyWhatItsPodsNeed() throws Exception {
    // ServiceAccount admission needs the account the service-account controller would make.
    create("/api/v1/namespaces/team/serviceaccounts", "{\"metadata\":{\"name\":\"default\"}}");
    create(
        "/api/v1/namespaces/team/pods",
        """
        {"metadata":{"name":"on-n1"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox",
          "env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s-env","key":"k"}}}]}],
          "volumes":[{"name":"v","configMap":{"name":"cm-vol"}}]}}
        """);
    create(
        "/api/v1/namespaces/team/pods",
        """
        {"metadata":{"name":"on-n2"},"spec":{"nodeName":"n2","containers":[{"name":"c","image":"busybox"}],
          "volumes":[{"name":"v","secret":{"secretName":"s-other"}}]}}
        """);
    String n1 = "system:node:n1;system:nodes";
    Awaitility.await()
        .until(
            () ->
                allowed(
                    "system:node:n1", List.of("system:nodes"), "get", "secrets", "team", "s-env"));
    check(
        List.of(
            allow(n1, "get", "secrets", "team", "s-env"),
            allow(n1, "get", "configmaps", "team", "cm-vol"),
            deny(n1, "get", "secrets", "team", "s-other"),
            deny(n1, "list", "secrets", "team", ""),
            deny(n1, "get", "configmaps", "team", "unused"),
            allow(n1, "update", "nodes/status", "", "n1"),
            deny(n1, "update", "nodes/status", "", "n2"),
            deny(n1, "delete", "nodes", "", "n2"),
            allow(n1, "patch", "pods/status", "team", "on-n1"),
            deny(n1, "patch", "pods/status", "team", "on-n2"),
            deny(n1, "delete", "pods", "team", "on-n2"),
            allow(n1, "list", "pods", "", ""),
            allow(n1, "watch", "services", "", ""),
            allow(n1, "update", "coordination.k8s.io:leases", "kube-node-lease", "n1"),
            deny(n1, "update", "coordination.k8s.io:leases", "kube-node-lease", "n2")));
  }
}
