package dev.skiff.scheduler.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A consistent view of the cluster for one scheduling cycle: plugins read it, nobody else writes it
 * while the cycle runs. Refreshed from the {@link SchedulerCache} at the start of each cycle.
 */
public final class Snapshot {
  private final Map<String, NodeInfo> nodeInfoMap = new HashMap<>();
  private final Map<String, Integer> position = new HashMap<>();
  private NodeInfo[] nodes = new NodeInfo[0];
  private List<NodeInfo> nodeInfoList = List.of();
  private List<NodeInfo> havePodsWithAffinity = List.of();
  private List<NodeInfo> havePodsWithRequiredAntiAffinity = List.of();
  private Map<String, Integer> imageNodeCounts = Map.of();
  private long generation;
  private long nodeSetGeneration = -1;

  /** A snapshot of these nodes, for tests and tools that do not need a cache. */
  public static Snapshot of(List<NodeInfo> nodes) {
    Snapshot s = new Snapshot();
    List<String> names = new ArrayList<>();
    for (NodeInfo n : nodes) {
      s.nodeInfoMap.put(n.name(), n);
      names.add(n.name());
    }
    s.refresh(0, names, 0, true, true);
    return s;
  }

  long generation() {
    return generation;
  }

  long nodeSetGeneration() {
    return nodeSetGeneration;
  }

  Map<String, NodeInfo> nodeInfoMap() {
    return nodeInfoMap;
  }

  /** Replaces a node's copy in place, keeping its position in the list. */
  void put(String name, NodeInfo info) {
    nodeInfoMap.put(name, info);
    Integer i = position.get(name);
    if (i != null) {
      nodes[i] = info;
    }
  }

  /**
   * @param newOrder the node names in list order when the set of nodes changed, else null
   */
  void refresh(
      long generation,
      List<String> newOrder,
      long nodeSetGeneration,
      boolean relist,
      boolean images) {
    this.generation = generation;
    this.nodeSetGeneration = nodeSetGeneration;
    if (newOrder != null) {
      nodes = new NodeInfo[newOrder.size()];
      position.clear();
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = nodeInfoMap.get(newOrder.get(i));
        position.put(newOrder.get(i), i);
      }
      nodeInfoList = Collections.unmodifiableList(Arrays.asList(nodes));
    }
    if (relist) {
      List<NodeInfo> affinity = new ArrayList<>();
      List<NodeInfo> antiAffinity = new ArrayList<>();
      for (NodeInfo info : nodes) {
        if (!info.podsWithAffinity().isEmpty()) {
          affinity.add(info);
        }
        if (!info.podsWithRequiredAntiAffinity().isEmpty()) {
          antiAffinity.add(info);
        }
      }
      havePodsWithAffinity = Collections.unmodifiableList(affinity);
      havePodsWithRequiredAntiAffinity = Collections.unmodifiableList(antiAffinity);
    } else {
      havePodsWithAffinity = refreshed(havePodsWithAffinity);
      havePodsWithRequiredAntiAffinity = refreshed(havePodsWithRequiredAntiAffinity);
    }
    if (images) {
      Map<String, Integer> counts = new HashMap<>();
      for (NodeInfo info : nodes) {
        info.imageSizes().keySet().forEach(image -> counts.merge(image, 1, Integer::sum));
      }
      imageNodeCounts = Map.copyOf(counts);
    }
  }

  private List<NodeInfo> refreshed(List<NodeInfo> stale) {
    if (stale.isEmpty()) {
      return stale;
    }
    List<NodeInfo> out = new ArrayList<>(stale.size());
    stale.forEach(n -> out.add(nodeInfoMap.get(n.name())));
    return Collections.unmodifiableList(out);
  }

  public NodeInfo get(String nodeName) {
    return nodeInfoMap.get(nodeName);
  }

  /** All nodes, interleaved across zones. */
  public List<NodeInfo> list() {
    return nodeInfoList;
  }

  public int size() {
    return nodes.length;
  }

  /** Nodes running at least one pod with any (anti-)affinity term. */
  public List<NodeInfo> havePodsWithAffinity() {
    return havePodsWithAffinity;
  }

  /** Nodes running at least one pod with a required anti-affinity term. */
  public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
    return havePodsWithRequiredAntiAffinity;
  }

  /** How many nodes have this image, for ImageLocality's spread factor. */
  public int nodesWithImage(String image) {
    return imageNodeCounts.getOrDefault(image, 0);
  }
}
