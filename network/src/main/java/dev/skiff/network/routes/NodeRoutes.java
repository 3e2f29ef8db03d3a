package dev.skiff.network.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Which routes a node needs, from the Node objects: one per other node with a podCIDR and IP. */
public final class NodeRoutes {
  private NodeRoutes() {}

  public static List<NodeRoute> desired(Collection<Node> nodes, String selfName) {
    List<NodeRoute> routes = new ArrayList<>();
    for (Node node : nodes) {
      if (node.getMetadata().getName().equals(selfName) || node.getSpec() == null) {
        continue;
      }
      String podCidr = node.getSpec().getPodCIDR();
      String ip = internalIp(node);
      if (podCidr == null || podCidr.contains(":") || ip == null) {
        continue;
      }
      routes.add(new NodeRoute(podCidr, ip));
    }
    routes.sort(Comparator.comparing(NodeRoute::podCidr));
    return routes;
  }

  private static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    for (NodeAddress a : node.getStatus().getAddresses()) {
      if ("InternalIP".equals(a.getType()) && !a.getAddress().contains(":")) {
        return a.getAddress();
      }
    }
    return null;
  }
}
