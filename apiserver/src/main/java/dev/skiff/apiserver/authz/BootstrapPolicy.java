package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The ClusterRoles and ClusterRoleBindings every cluster starts with, after upstream's bootstrap
 * policy: the user-facing admin/edit/view (aggregated from their {@code system:aggregate-to-*}
 * parts), discovery and self-review roles, and the roles of the control-plane components.
 */
public final class BootstrapPolicy {
  static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
  private static final String READ = "get list watch";
  private static final String WRITE = "create delete deletecollection patch update";

  private BootstrapPolicy() {}

  public static List<ObjectNode> clusterRoles() {
    List<ObjectNode> roles = new ArrayList<>();
    roles.add(role("cluster-admin", rule("*", "*", "*"), nonResource("*", "*")));
    roles.add(aggregated("admin", "admin", null));
    roles.add(aggregated("edit", "edit", "admin"));
    roles.add(aggregated("view", "view", "edit"));
    roles.add(
        labelled(
            role(
                "system:aggregate-to-admin",
                rule(WRITE + " " + READ, "rbac.authorization.k8s.io", "rolebindings roles"),
                rule("create", "authorization.k8s.io", "localsubjectaccessreviews")),
            "admin"));
    roles.add(
        labelled(
            role(
                "system:aggregate-to-edit",
                rule("impersonate", "", "serviceaccounts"),
                rule(WRITE, "", "pods pods/attach pods/exec pods/portforward pods/proxy"),
                rule(
                    READ,
                    "",
                    "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy"),
                rule("create", "", "pods/eviction serviceaccounts/token"),
                rule(
                    WRITE,
                    "",
                    "configmaps events persistentvolumeclaims replicationcontrollers"
                        + " replicationcontrollers/scale secrets serviceaccounts services"
                        + " services/proxy"),
                rule(
                    WRITE,
                    "apps",
                    "daemonsets deployments deployments/rollback deployments/scale replicasets"
                        + " replicasets/scale statefulsets statefulsets/scale"),
                rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
                rule(WRITE, "batch", "cronjobs jobs"),
                rule(WRITE, "policy", "poddisruptionbudgets"),
                rule(WRITE, "networking.k8s.io", "ingresses networkpolicies"),
                rule(WRITE, "coordination.k8s.io", "leases")),
            "edit"));
    roles.add(
        labelled(
            role(
                "system:aggregate-to-view",
                rule(
                    READ,
                    "",
                    "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status"
                        + " pods replicationcontrollers replicationcontrollers/scale"
                        + " serviceaccounts services services/status"),
                rule(
                    READ,
                    "",
                    "bindings events limitranges namespaces/status pods/log pods/status"
                        + " replicationcontrollers/status resourcequotas resourcequotas/status"),
                rule(READ, "", "namespaces"),
                rule(READ, "discovery.k8s.io", "endpointslices"),
                rule(
                    READ,
                    "apps",
                    "controllerrevisions daemonsets daemonsets/status deployments"
                        + " deployments/scale deployments/status replicasets replicasets/scale"
                        + " replicasets/status statefulsets statefulsets/scale statefulsets/status"),
                rule(
                    READ,
                    "autoscaling",
                    "horizontalpodautoscalers horizontalpodautoscalers/status"),
                rule(READ, "batch", "cronjobs cronjobs/status jobs jobs/status"),
                rule(READ, "policy", "poddisruptionbudgets poddisruptionbudgets/status"),
                rule(READ, "networking.k8s.io", "ingresses ingresses/status networkpolicies")),
            "view"));
    roles.add(
        role(
            "system:discovery",
            nonResource(
                "get",
                "/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version"
                    + " /version/")));
    roles.add(
        role(
            "system:public-info-viewer",
            nonResource("get", "/healthz /livez /readyz /version /version/")));
    roles.add(
        role(
            "system:basic-user",
            rule(
                "create",
                "authorization.k8s.io",
                "selfsubjectaccessreviews selfsubjectrulesreviews"),
            rule("create", "authentication.k8s.io", "selfsubjectreviews")));
    roles.add(
        role(
            "system:service-account-issuer-discovery",
            nonResource("get", "/.well-known/openid-configuration /openid/v1/jwks")));
    roles.add(role("system:node", nodeRules()));
    roles.add(
        role(
            "system:node-bootstrapper",
            rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests")));
    roles.add(
        role(
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            rule("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient")));
    roles.add(
        role(
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            rule("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient")));
    for (String signer :
        List.of(
            "kube-apiserver-client",
            "kube-apiserver-client-kubelet",
            "kubelet-serving",
            "legacy-unknown")) {
      ObjectNode approve = rule("approve", "certificates.k8s.io", "signers");
      approve.putArray("resourceNames").add("kubernetes.io/" + signer);
      roles.add(role("system:certificates.k8s.io:" + signer + "-approver", approve));
    }
    roles.add(role("system:kube-scheduler", schedulerRules()));
    roles.add(
        role(
            "system:node-proxier",
            rule("list watch", "", "endpoints services"),
            rule(READ, "", "nodes"),
            rule("create patch update", "", "events"),
            rule("create patch update", "events.k8s.io", "events"),
            rule("list watch", "discovery.k8s.io", "endpointslices")));
    roles.add(
        role(
            "system:kube-dns",
            rule("list watch", "", "endpoints services namespaces"),
            rule("list watch", "discovery.k8s.io", "endpointslices")));
    roles.add(
        role(
            "system:kube-controller-manager",
            rule("create patch update", "", "events"),
            rule("create patch update", "events.k8s.io", "events"),
            rule("create", "coordination.k8s.io", "leases"),
            rule("get update", "coordination.k8s.io", "leases"),
            rule("create", "authentication.k8s.io", "tokenreviews"),
            rule("create", "authorization.k8s.io", "subjectaccessreviews"),
            rule("list watch", "*", "*"),
            rule("get", "", "secrets serviceaccounts"),
            rule("create", "", "serviceaccounts/token")));
    // As metrics-server installs it: whoever may view a namespace may read its usage.
    ObjectNode metricsReader =
        role(
            "system:aggregated-metrics-reader",
            rule("get list watch", "metrics.k8s.io", "pods nodes"));
    roles.add(labelled(labelled(labelled(metricsReader, "view"), "edit"), "admin"));
    roles.add(
        role(
            "system:monitoring",
            nonResource(
                "get",
                "/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*")));
    return roles;
  }

  public static List<ObjectNode> clusterRoleBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", group("system:masters")),
        binding("system:discovery", "system:discovery", group("system:authenticated")),
        binding("system:basic-user", "system:basic-user", group("system:authenticated")),
        binding(
            "system:public-info-viewer",
            "system:public-info-viewer",
            group("system:authenticated"),
            group("system:unauthenticated")),
        binding(
            "system:service-account-issuer-discovery",
            "system:service-account-issuer-discovery",
            group("system:serviceaccounts")),
        binding("system:node", "system:node"),
        binding("system:monitoring", "system:monitoring", group("system:monitoring")),
        binding("system:kube-scheduler", "system:kube-scheduler", user("system:kube-scheduler")),
        binding("system:node-proxier", "system:node-proxier", user("system:kube-proxy")),
        binding(
            "system:kube-dns",
            "system:kube-dns",
            user("system:kube-dns"),
            serviceAccount("kube-system", "kube-dns")),
        binding(
            "system:kube-controller-manager",
            "system:kube-controller-manager",
            user("system:kube-controller-manager")),
        // Until each controller runs under its own ServiceAccount, the controller manager needs
        // everything its controllers write, as k3s grants it.
        binding(
            "skiff:kube-controller-manager",
            "cluster-admin",
            user("system:kube-controller-manager")),
        binding(
            "skiff:kubelet-bootstrap", "system:node-bootstrapper", group("system:bootstrappers")),
        binding(
            "skiff:node-autoapprove-bootstrap",
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            group("system:bootstrappers")),
        binding(
            "skiff:node-autoapprove-certificate-rotation",
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            group("system:nodes")));
  }

  static ObjectNode[] nodeRules() {
    return new ObjectNode[] {
      rule("create", "authentication.k8s.io", "tokenreviews"),
      rule("create", "authorization.k8s.io", "localsubjectaccessreviews subjectaccessreviews"),
      rule(READ, "", "services"),
      rule("create " + READ, "", "nodes"),
      rule("patch update", "", "nodes/status"),
      rule("patch update", "", "nodes"),
      rule("create patch update", "", "events"),
      rule("create patch update", "events.k8s.io", "events"),
      rule(READ, "", "pods"),
      rule("create delete", "", "pods"),
      rule("patch update", "", "pods/status"),
      rule("create", "", "pods/eviction"),
      rule("get", "", "configmaps secrets"),
      rule("get", "", "persistentvolumeclaims persistentvolumes"),
      rule("get", "", "endpoints"),
      rule(READ, "discovery.k8s.io", "endpointslices"),
      rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests"),
      rule("create delete get patch update", "coordination.k8s.io", "leases"),
      rule("create", "", "serviceaccounts/token"),
      rule(READ, "storage.k8s.io", "csidrivers volumeattachments"),
      rule("create delete get patch update", "storage.k8s.io", "csinodes"),
      rule(READ, "node.k8s.io", "runtimeclasses"),
    };
  }

  private static ObjectNode[] schedulerRules() {
    return new ObjectNode[] {
      rule("create patch update", "", "events"),
      rule("create patch update", "events.k8s.io", "events"),
      rule("create", "coordination.k8s.io", "leases"),
      // fabric8's leader election renews its Lease with PATCH.
      rule("get update patch", "coordination.k8s.io", "leases"),
      rule("create", "", "endpoints"),
      rule("get update", "", "endpoints"),
      rule(READ, "", "nodes"),
      rule("delete " + READ, "", "pods"),
      rule("create", "", "bindings pods/binding"),
      rule("patch update", "", "pods/status"),
      rule(READ, "", "replicationcontrollers services namespaces configmaps"),
      rule(READ, "apps", "replicasets statefulsets"),
      rule(READ, "policy", "poddisruptionbudgets"),
      rule(READ, "scheduling.k8s.io", "priorityclasses"),
      rule(READ, "", "persistentvolumeclaims persistentvolumes"),
      rule("patch update", "", "persistentvolumeclaims persistentvolumes"),
      rule(READ, "storage.k8s.io", "csidrivers csinodes csistoragecapacities storageclasses"),
      rule("create", "authentication.k8s.io", "tokenreviews"),
      rule("create", "authorization.k8s.io", "subjectaccessreviews"),
    };
  }

  private static ObjectNode role(String name, ObjectNode... rules) {
    ObjectNode r = header("ClusterRole", name);
    ArrayNode arr = r.putArray("rules");
    for (ObjectNode rule : rules) {
      arr.add(rule);
    }
    return r;
  }

  private static ObjectNode aggregated(String name, String from, String into) {
    ObjectNode r = header("ClusterRole", name);
    r.putObject("aggregationRule")
        .putArray("clusterRoleSelectors")
        .addObject()
        .putObject("matchLabels")
        .put(AGGREGATE_TO + from, "true");
    r.putArray("rules");
    return into == null ? r : labelled(r, into);
  }

  private static ObjectNode labelled(ObjectNode role, String aggregateTo) {
    ((ObjectNode) role.path("metadata").path("labels")).put(AGGREGATE_TO + aggregateTo, "true");
    return role;
  }

  private static ObjectNode header(String kind, String name) {
    ObjectNode o = Json.object();
    o.put("apiVersion", RbacAuthorizer.RBAC + "/v1");
    o.put("kind", kind);
    ObjectNode m = o.putObject("metadata");
    m.put("name", name);
    m.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    m.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    return o;
  }

  static ObjectNode rule(String verbs, String groups, String resources) {
    ObjectNode r = Json.object();
    strings(r.putArray("verbs"), verbs);
    ArrayNode g = r.putArray("apiGroups");
    if (groups.isEmpty()) {
      g.add("");
    } else {
      strings(g, groups);
    }
    strings(r.putArray("resources"), resources);
    return r;
  }

  private static ObjectNode nonResource(String verbs, String urls) {
    ObjectNode r = Json.object();
    strings(r.putArray("verbs"), verbs);
    strings(r.putArray("nonResourceURLs"), urls);
    return r;
  }

  private static void strings(ArrayNode arr, String words) {
    for (String w : words.split(" ")) {
      arr.add(w);
    }
  }

  private static ObjectNode binding(String name, String role, ObjectNode... subjects) {
    ObjectNode b = header("ClusterRoleBinding", name);
    ObjectNode ref = b.putObject("roleRef");
    ref.put("apiGroup", RbacAuthorizer.RBAC);
    ref.put("kind", "ClusterRole");
    ref.put("name", role);
    ArrayNode arr = b.putArray("subjects");
    for (ObjectNode s : subjects) {
      arr.add(s);
    }
    return b;
  }

  private static ObjectNode group(String name) {
    return subject("Group", name);
  }

  private static ObjectNode serviceAccount(String namespace, String name) {
    ObjectNode s = Json.object();
    s.put("kind", "ServiceAccount");
    s.put("name", name);
    s.put("namespace", namespace);
    return s;
  }

  private static ObjectNode user(String name) {
    return subject("User", name);
  }

  private static ObjectNode subject(String kind, String name) {
    ObjectNode s = Json.object();
    s.put("apiGroup", RbacAuthorizer.RBAC);
    s.put("kind", kind);
    s.put("name", name);
    return s;
  }
}
