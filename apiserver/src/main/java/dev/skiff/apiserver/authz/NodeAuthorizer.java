package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A light version of upstream's Node authorizer: a kubelet ({@code system:node:<name>} in {@code
 * system:nodes}) reads only the secrets, configmaps and claims its own pods use, and writes only
 * its own Node, Lease and pods; everything else it may do comes from the {@code system:node} rules.
 */
public final class NodeAuthorizer implements Authorizer {
  static final String NODES_GROUP = "system:nodes";
  static final String NODE_PREFIX = "system:node:";
  private static final Set<String> POD_REFERENCED =
      Set.of("secrets", "configmaps", "persistentvolumeclaims");
  private static final Set<String> READS = Set.of("get", "list", "watch");
  private static final ObjectNode[] NODE_RULES = BootstrapPolicy.nodeRules();

  private final ObjectCache cache;

  public NodeAuthorizer(ObjectCache cache) {
    this.cache = cache;
  }

  @Override
  public Decision authorize(Attributes a) {
    if (!a.user().groups().contains(NODES_GROUP) || !a.user().name().startsWith(NODE_PREFIX)) {
      return Decision.NO_OPINION;
    }
    String node = a.user().name().substring(NODE_PREFIX.length());
    if (!a.resourceRequest()) {
      return Decision.NO_OPINION;
    }

    String g = a.group();
    String r = a.resource();
    if (g.isEmpty() && POD_REFERENCED.contains(r)) {
      return a.verb().equals("get") && referencedByPodOn(node, a) ? Decision.ALLOW : Decision.DENY;
    }
    if (g.isEmpty() && r.equals("serviceaccounts") && a.subresource().equals("token")) {
      return a.verb().equals("create") && serviceAccountOfPodOn(node, a)
          ? Decision.ALLOW
          : Decision.DENY;
    }
    if (g.isEmpty() && r.equals("nodes") && !READS.contains(a.verb())) {
      // A Node is created under its own name, which the URL does not carry.
      boolean own = a.name().equals(node) || (a.verb().equals("create") && a.name().isEmpty());
      return own && !a.verb().equals("deletecollection") ? Decision.ALLOW : Decision.DENY;
    }
    if (g.equals("coordination.k8s.io") && r.equals("leases")) {
      boolean own =
          a.namespace().equals("kube-node-lease")
              && (a.name().equals(node) || a.verb().equals("create"));
      return own ? Decision.ALLOW : Decision.DENY;
    }
    boolean eviction = a.verb().equals("create") && a.subresource().equals("eviction");
    if (g.isEmpty() && r.equals("pods") && !READS.contains(a.verb()) && !eviction) {
      if (a.verb().equals("create") && a.subresource().isEmpty()) {
        return Decision.ALLOW; // mirror pods; NodeRestriction admission checks them
      }
      return !a.name().isEmpty() && podOn(node, a.namespace(), a.name())
          ? Decision.ALLOW
          : Decision.DENY;
    }
    // As upstream, the system:node rules apply to every node identity without a binding.
    for (ObjectNode rule : NODE_RULES) {
      if (PolicyRules.allows(rule, a)) {
        return Decision.ALLOW;
      }
    }
    return Decision.NO_OPINION;
  }

  private boolean podOn(String node, String ns, String name) {
    return cache
        .get("", "pods", ns, name)
        .map(p -> p.path("spec").path("nodeName").asText().equals(node))
        .orElse(false);
  }

  private boolean serviceAccountOfPodOn(String node, Attributes a) {
    for (ObjectNode pod : cache.list("", "pods", a.namespace())) {
      JsonNode spec = pod.path("spec");
      if (spec.path("nodeName").asText().equals(node)
          && spec.path("serviceAccountName").asText("default").equals(a.name())) {
        return true;
      }
    }
    return false;
  }

  private boolean referencedByPodOn(String node, Attributes a) {
    if (a.name().isEmpty()) {
      return false;
    }
    for (ObjectNode pod : cache.list("", "pods", a.namespace())) {
      if (pod.path("spec").path("nodeName").asText().equals(node)
          && PodReferences.of(pod, a.resource()).contains(a.name())) {
        return true;
      }
    }
    return false;
  }
}
