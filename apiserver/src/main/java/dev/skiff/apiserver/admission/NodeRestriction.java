package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.authz.PodReferences;
import dev.skiff.apiserver.errors.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Upstream's NodeRestriction: a kubelet ({@code system:node:<name>} in {@code system:nodes}) may
 * change only its own Node, never its taints or labels outside the set kubelets own, may write
 * status and evict only for pods bound to it, and may create only mirror pods of its own that
 * reference no other API objects. Other users pass untouched.
 */
public final class NodeRestriction implements AdmissionPlugin {
  private static final String NODES_GROUP = "system:nodes";
  private static final String NODE_PREFIX = "system:node:";
  private static final String RESTRICTED_NAMESPACE = "node-restriction.kubernetes.io";
  private static final Set<String> KUBELET_LABELS =
      Set.of(
          "kubernetes.io/hostname",
          "kubernetes.io/os",
          "kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "beta.kubernetes.io/arch",
          "beta.kubernetes.io/instance-type",
          "node.kubernetes.io/instance-type",
          "topology.kubernetes.io/zone",
          "topology.kubernetes.io/region",
          "failure-domain.beta.kubernetes.io/zone",
          "failure-domain.beta.kubernetes.io/region");
  private static final Set<String> KUBELET_LABEL_NAMESPACES =
      Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

  private final ClusterObjects objects;

  public NodeRestriction(ClusterObjects objects) {
    this.objects = objects;
  }

  /** The node a user acts for, when it is a kubelet's identity. */
  static Optional<String> nodeOf(UserInfo user) {
    if (!user.groups().contains(NODES_GROUP) || !user.name().startsWith(NODE_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(user.name().substring(NODE_PREFIX.length()));
  }

  /** Whether a kubelet may set, change or remove label {@code key} on its own Node. */
  public static boolean kubeletMaySet(String key) {
    int slash = key.indexOf('/');
    String namespace = slash < 0 ? "" : key.substring(0, slash);
    if (namespace.equals(RESTRICTED_NAMESPACE) || namespace.endsWith("." + RESTRICTED_NAMESPACE)) {
      return false;
    }
    boolean kubernetes =
        namespace.equals("kubernetes.io")
            || namespace.endsWith(".kubernetes.io")
            || namespace.equals("k8s.io")
            || namespace.endsWith(".k8s.io");
    if (!kubernetes || KUBELET_LABELS.contains(key)) {
      return true;
    }
    for (String allowed : KUBELET_LABEL_NAMESPACES) {
      if (namespace.equals(allowed) || namespace.endsWith("." + allowed)) {
        return true;
      }
    }
    return false;
  }

  // Mutating phase, as upstream: it must see the request's labels before the status strategy
  // drops them.
  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    Optional<String> node = RequestUser.current().flatMap(NodeRestriction::nodeOf);
    if (node.isEmpty() || !a.type().group().isEmpty()) {
      if (node.isPresent() && isLease(a.type())) {
        lease(node.get(), a);
      }
      return;
    }
    switch (a.type().plural()) {
      case "nodes" -> node(node.get(), a, object, oldObject);
      case "pods" -> pod(node.get(), a, object, oldObject);
      default -> {}
    }
  }

  /** A kubelet evicts only the pods bound to it; called by the eviction subresource. */
  public static void checkEviction(ResourceType pods, ObjectNode pod) {
    Optional<String> node = RequestUser.current().flatMap(NodeRestriction::nodeOf);
    if (node.isPresent() && !boundTo(pod, node.get())) {
      throw forbidden(
          pods,
          pod.path("metadata").path("name").asText(),
          "node " + node.get() + " can only evict pods with spec.nodeName set to itself");
    }
  }

  private static boolean isLease(ResourceType t) {
    return t.group().equals("coordination.k8s.io") && t.plural().equals("leases");
  }

  private static void lease(String node, AdmissionAttributes a) {
    if (!a.namespace().equals("kube-node-lease")) {
      throw forbidden(
          a.type(), a.name(), "can only access leases in the \"kube-node-lease\" system namespace");
    }
    if (!a.name().equals(node)) {
      throw forbidden(
          a.type(),
          a.name(),
          "can only access node lease with the same name as the requesting node");
    }
  }

  private void node(String node, AdmissionAttributes a, ObjectNode object, ObjectNode oldObject) {
    if (!a.name().equals(node)) {
      throw forbidden(
          a.type(),
          a.name(),
          "node \"" + node + "\" is not allowed to modify node \"" + a.name() + "\"");
    }
    JsonNode labels = object.path("metadata").path("labels");
    if (a.isCreate()) {
      Set<String> forbidden = forbiddenLabels(labels, null);
      if (!forbidden.isEmpty()) {
        throw forbidden(
            a.type(),
            a.name(),
            "node \""
                + node
                + "\" is not allowed to set the following labels: "
                + String.join(", ", forbidden));
      }
      return;
    }
    if (!taints(object).equals(taints(oldObject))) {
      throw forbidden(a.type(), a.name(), "node \"" + node + "\" is not allowed to modify taints");
    }
    Set<String> forbidden = forbiddenLabels(labels, oldObject.path("metadata").path("labels"));
    if (!forbidden.isEmpty()) {
      throw forbidden(
          a.type(), a.name(), "is not allowed to modify labels: " + String.join(", ", forbidden));
    }
  }

  /** The node's taints; none given and an empty list are the same, as upstream compares them. */
  private static JsonNode taints(ObjectNode node) {
    JsonNode taints = node.path("spec").path("taints");
    return taints.isArray() ? taints : JsonNodeFactory.instance.arrayNode();
  }

  /** Labels added, removed or changed between {@code now} and {@code before} a kubelet may not. */
  private static Set<String> forbiddenLabels(JsonNode now, JsonNode before) {
    Set<String> modified = new TreeSet<>();
    collectDifferences(now, before, modified);
    collectDifferences(before, now, modified);
    modified.removeIf(NodeRestriction::kubeletMaySet);
    return modified;
  }

  private static void collectDifferences(JsonNode from, JsonNode other, Set<String> out) {
    if (from == null || !from.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      JsonNode o = other == null ? null : other.get(e.getKey());
      if (o == null || !o.asText().equals(e.getValue().asText())) {
        out.add(e.getKey());
      }
    }
  }

  private void pod(String node, AdmissionAttributes a, ObjectNode object, ObjectNode oldObject) {
    switch (a.subresource()) {
      case "" -> {
        if (!a.isCreate()) {
          throw forbidden(
              a.type(),
              a.name(),
              "unexpected operation \"UPDATE\", node \""
                  + node
                  + "\" can only create and delete mirror pods");
        }
        mirrorPod(node, a, object);
      }
      case "status" -> {
        if (!boundTo(oldObject, node)) {
          throw forbidden(
              a.type(),
              a.name(),
              "node \""
                  + node
                  + "\" can only update pod status for pods with spec.nodeName set to itself");
        }
        if (!object
            .path("metadata")
            .path("labels")
            .equals(oldObject.path("metadata").path("labels"))) {
          throw forbidden(
              a.type(), a.name(), "node \"" + node + "\" cannot update labels through pod status");
        }
      }
      default ->
          throw forbidden(
              a.type(),
              a.name(),
              "unexpected pod subresource \""
                  + a.subresource()
                  + "\", only 'status' and 'eviction' are allowed");
    }
  }

  private void mirrorPod(String node, AdmissionAttributes a, ObjectNode pod) {
    String name = a.name();
    String quoted = "node \"" + node + "\"";
    if (!pod.path("metadata").path("annotations").has(ServiceAccountAdmission.MIRROR_ANNOTATION)) {
      throw forbidden(
          a.type(),
          name,
          "pod does not have \""
              + ServiceAccountAdmission.MIRROR_ANNOTATION
              + "\" annotation, "
              + quoted
              + " can only create mirror pods");
    }
    if (!boundTo(pod, node)) {
      throw forbidden(
          a.type(), name, quoted + " can only create pods with spec.nodeName set to itself");
    }
    JsonNode owners = pod.path("metadata").path("ownerReferences");
    if (owners.size() > 1) {
      throw forbidden(
          a.type(),
          name,
          quoted + " can only create pods with a single owner reference set to itself");
    }
    JsonNode owner = owners.path(0);
    if (owners.isEmpty()
        || !owner.path("apiVersion").asText().equals("v1")
        || !owner.path("kind").asText().equals("Node")
        || !owner.path("name").asText().equals(node)) {
      throw forbidden(
          a.type(), name, quoted + " can only create pods with an owner reference set to itself");
    }
    if (!owner.path("controller").asBoolean(false)) {
      throw forbidden(
          a.type(),
          name,
          quoted + " can only create pods with a controller owner reference set to itself");
    }
    if (owner.path("blockOwnerDeletion").asBoolean(false)) {
      throw forbidden(
          a.type(), name, quoted + " must not set blockOwnerDeletion on an owner reference");
    }
    ResourceType nodes = objects.type("", "v1", "nodes");
    ObjectNode registered =
        objects.get(nodes, "", node).orElseThrow(() -> ApiException.notFound(nodes, node));
    String uid = registered.path("metadata").path("uid").asText();
    if (!owner.path("uid").asText().equals(uid)) {
      throw forbidden(
          a.type(),
          name,
          "node " + node + " UID mismatch: expected " + owner.path("uid").asText() + " got " + uid);
    }
    if (!pod.path("spec").path("serviceAccountName").asText("").isEmpty()) {
      throw forbidden(
          a.type(), name, quoted + " can not create pods that reference a service account");
    }
    for (String kind : List.of("secrets", "configmaps", "persistentvolumeclaims")) {
      if (!PodReferences.of(pod, kind).isEmpty()) {
        throw forbidden(a.type(), name, quoted + " can not create pods that reference " + kind);
      }
    }
  }

  private static boolean boundTo(JsonNode pod, String node) {
    return pod != null && pod.path("spec").path("nodeName").asText("").equals(node);
  }

  private static ApiException forbidden(ResourceType t, String name, String why) {
    return ApiException.forbidden(t, name, why);
  }
}
