package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.auth.SecureServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NodeRestriction over TLS with access control: the admin impersonates kubelets ({@code
 * system:node:<name>} in {@code system:nodes}), which is how upstream's own tests act as nodes.
 */
class NodeRestrictionTest {
  private static SecureServer server;
  private static HttpClient admin;
  private static int pods;

  record Reply(int code, JsonNode json) {
    String message() {
      return json.path("message").asText();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.client("admin");
    send(
        null,
        "POST",
        "/api/v1/namespaces/default/serviceaccounts",
        JSON,
        "{\"metadata\":{\"name\":\"default\"}}");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static final String JSON = "application/json";
  private static final String MERGE = "application/merge-patch+json";

  /** A request by the admin, or by node {@code node}'s kubelet when it is not null. */
  private static Reply send(String node, String method, String path, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
    if (node != null) {
      b.header("Impersonate-User", "system:node:" + node);
      b.header("Impersonate-Group", "system:nodes");
    }
    HttpResponse<String> r = admin.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), SecureServer.JSON_MAPPER.readTree(r.body()));
  }

  private static String registerNode(String name) throws Exception {
    Reply r =
        send(
            name,
            "POST",
            "/api/v1/nodes",
            JSON,
            """
            {"metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s",
             "example.com/rack":"r1"}},
             "spec":{"taints":[{"key":"example.com/dedicated","effect":"NoSchedule"},
              {"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]}}"""
                .formatted(name, name));
    assertEquals(201, r.code(), r.json().toString());
    return r.json().path("metadata").path("uid").asText();
  }

  /** A pod the admin binds to {@code node}. */
  private static String podOn(String node) throws Exception {
    String name = "p" + ++pods;
    Reply r =
        send(
            null,
            "POST",
            "/api/v1/namespaces/default/pods",
            JSON,
            """
            {"metadata":{"name":"%s","labels":{"app":"a"}},
             "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox"}]}}"""
                .formatted(name, node));
    assertEquals(201, r.code(), r.json().toString());
    return name;
  }

  @Test
  void aKubeletRegistersItsNodeOnlyWithLabelsKubeletsOwn() throws Exception {
    Reply refused =
        send(
            "n0",
            "POST",
            "/api/v1/nodes",
            JSON,
            "{\"metadata\":{\"name\":\"n0\",\"labels\":{"
                + "\"node-role.kubernetes.io/control-plane\":\"true\","
                + "\"node-restriction.kubernetes.io/pool\":\"a\",\"kubernetes.io/os\":\"linux\"}}}");
    assertEquals(403, refused.code());
    assertEquals(
        "nodes \"n0\" is forbidden: node \"n0\" is not allowed to set the following labels:"
            + " node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane",
        refused.message());
    registerNode("n0");
  }

  @Test
  void aKubeletChangesNeitherItsTaintsNorRestrictedLabelsNorOtherNodes() throws Exception {
    registerNode("n1");
    registerNode("n2");
    Reply taints = send("n1", "PATCH", "/api/v1/nodes/n1", MERGE, "{\"spec\":{\"taints\":null}}");
    assertEquals(403, taints.code());
    assertEquals(
        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints", taints.message());

    // Not even the not-ready taint it registered with: the node lifecycle controller lifts that
    // once the node reports Ready.
    Reply notReady =
        send(
            "n1",
            "PATCH",
            "/api/v1/nodes/n1",
            MERGE,
            "{\"spec\":{\"taints\":[{\"key\":\"example.com/dedicated\","
                + "\"effect\":\"NoSchedule\"}]}}");
    assertEquals(403, notReady.code(), notReady.json().toString());
    assertEquals(
        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints",
        notReady.message());

    Reply labels =
        send(
            "n1",
            "PATCH",
            "/api/v1/nodes/n1",
            MERGE,
            "{\"metadata\":{\"labels\":{\"node-role.kubernetes.io/worker\":\"\"}}}");
    assertEquals(403, labels.code());
    assertEquals(
        "nodes \"n1\" is forbidden: is not allowed to modify labels:"
            + " node-role.kubernetes.io/worker",
        labels.message());

    Reply allowed =
        send(
            "n1",
            "PATCH",
            "/api/v1/nodes/n1",
            MERGE,
            "{\"metadata\":{\"labels\":{\"node.kubernetes.io/instance-type\":\"small\","
                + "\"example.com/rack\":\"r2\"}}}");
    assertEquals(200, allowed.code(), allowed.json().toString());
    Reply status =
        send(
            "n1",
            "PATCH",
            "/api/v1/nodes/n1/status",
            MERGE,
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    assertEquals(200, status.code(), status.json().toString());

    assertEquals(
        403,
        send("n1", "PATCH", "/api/v1/nodes/n2", MERGE, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}")
            .code());
    // The administrator, not being a node, may taint and label as before.
    assertEquals(
        200, send(null, "PATCH", "/api/v1/nodes/n1", MERGE, "{\"spec\":{\"taints\":null}}").code());
  }

  @Test
  void aKubeletWritesStatusOnlyOfItsOwnPodsAndNeverTheirLabels() throws Exception {
    String mine = podOn("n3");
    String theirs = podOn("n4");
    String running = "{\"status\":{\"phase\":\"Running\"}}";
    assertEquals(
        200,
        send("n3", "PATCH", "/api/v1/namespaces/default/pods/" + mine + "/status", MERGE, running)
            .code());
    Reply other =
        send(
            "n3", "PATCH", "/api/v1/namespaces/default/pods/" + theirs + "/status", MERGE, running);
    assertEquals(403, other.code());
    Reply relabel =
        send(
            "n3",
            "PATCH",
            "/api/v1/namespaces/default/pods/" + mine + "/status",
            MERGE,
            "{\"metadata\":{\"labels\":{\"app\":\"b\"}}}");
    assertEquals(403, relabel.code());
    assertEquals(
        "pods \"" + mine + "\" is forbidden: node \"n3\" cannot update labels through pod status",
        relabel.message());
  }

  @Test
  void aKubeletEvictsOnlyItsOwnPods() throws Exception {
    String mine = podOn("n5");
    String theirs = podOn("n6");
    String eviction =
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"%s\"}}";
    Reply refused =
        send(
            "n5",
            "POST",
            "/api/v1/namespaces/default/pods/" + theirs + "/eviction",
            JSON,
            eviction.formatted(theirs));
    assertEquals(403, refused.code());
    assertEquals(
        "pods \""
            + theirs
            + "\" is forbidden: node n5 can only evict pods with spec.nodeName set to itself",
        refused.message());
    Reply evicted =
        send(
            "n5",
            "POST",
            "/api/v1/namespaces/default/pods/" + mine + "/eviction",
            JSON,
            eviction.formatted(mine));
    assertEquals(201, evicted.code(), evicted.json().toString());
  }

  @Test
  void aKubeletCreatesOnlyMirrorPodsOwnedByItsNode() throws Exception {
    String uid = registerNode("n7");
    String pod =
        """
        {"metadata":{"name":"%s","annotations":%s,"ownerReferences":%s},
         "spec":{"nodeName":"n7","containers":[{"name":"c","image":"busybox"%s}]}}""";
    String mirror = "{\"kubernetes.io/config.mirror\":\"abc\"}";
    String owner =
        "[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"n7\",\"uid\":\"%s\",\"controller\":true}]"
            .formatted(uid);
    String path = "/api/v1/namespaces/default/pods";

    Reply plain = send("n7", "POST", path, JSON, pod.formatted("plain", "{}", owner, ""));
    assertEquals(403, plain.code());
    assertEquals(
        "pods \"plain\" is forbidden: pod does not have \"kubernetes.io/config.mirror\""
            + " annotation, node \"n7\" can only create mirror pods",
        plain.message());

    Reply orphan = send("n7", "POST", path, JSON, pod.formatted("orphan", mirror, "[]", ""));
    assertEquals(403, orphan.code());
    assertEquals(
        "pods \"orphan\" is forbidden: node \"n7\" can only create pods with an owner reference"
            + " set to itself",
        orphan.message());

    String secretEnv =
        ",\"env\":[{\"name\":\"X\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"k\"}}}]";
    Reply secret =
        send("n7", "POST", path, JSON, pod.formatted("secret", mirror, owner, secretEnv));
    assertEquals(403, secret.code());
    assertEquals(
        "pods \"secret\" is forbidden: node \"n7\" can not create pods that reference secrets",
        secret.message());

    Reply ok = send("n7", "POST", path, JSON, pod.formatted("static-n7", mirror, owner, ""));
    assertEquals(201, ok.code(), ok.json().toString());
  }

  @Test
  void aKubeletUsesOnlyTheLeaseOfItsName() throws Exception {
    String lease = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"holderIdentity\":\"%s\"}}";
    Reply other =
        send(
            "n8",
            "POST",
            "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
            JSON,
            lease.formatted("n9", "n8"));
    assertEquals(403, other.code());
    assertEquals(
        "leases.coordination.k8s.io \"n9\" is forbidden: can only access node lease with the same"
            + " name as the requesting node",
        other.message());
    Reply own =
        send(
            "n8",
            "POST",
            "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
            JSON,
            lease.formatted("n8", "n8"));
    assertEquals(201, own.code(), own.json().toString());
  }
}
