package dev.skiff.network.routes;

import java.io.IOException;
import java.util.Collection;

/**
 * How pod traffic reaches other nodes. The host-gw implementation installs plain routes; a VXLAN
 * backend would set up a tunnel device and route through it behind the same three calls.
 */
public interface RouteProgrammer {
  /**
   * Makes the routes to other nodes' pod networks exactly {@code routes}: missing ones added,
   * changed ones replaced, ones for nodes that left removed.
   */
  void syncNodeRoutes(Collection<NodeRoute> routes) throws IOException;

  /**
   * Keeps packets for the cluster's pod and service ranges on this machine: anything not matched by
   * a more specific route (or, for services, not rewritten by the proxy) is discarded.
   */
  void installBlackholes(String clusterCidr, String serviceCidr) throws IOException;

  /** Removes every route and device this programmer added. */
  void removeAll() throws IOException;
}
