package dev.skiff.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes and the pods placed on them, including pods the scheduler has assumed onto a node while
 * their binding is still in flight, so the next pod never double-books that capacity. Thread-safe:
 * informer callbacks and the scheduling loop both call in.
 */
public final class SchedulerCache {
  private record PodState(PodInfo info, String nodeName, boolean assumed) {}

  private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
  private final Map<String, PodState> pods = new HashMap<>();
  // Node names by the generation of their last change, oldest first, so a snapshot update visits
  // only what changed since it last looked.
  private final LinkedHashMap<String, Long> changes = new LinkedHashMap<>();
  private int nodeCount;
  private long nodeSetGeneration;

  private static String cacheKey(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid != null && !uid.isEmpty() ? uid : PodInfo.keyOf(pod);
  }

  private void changed(String name) {
    NodeInfo info = nodes.get(name);
    changes.remove(name);
    changes.put(name, info == null ? NodeInfo.nextGeneration() : info.generation());
  }

  private NodeInfo nodeInfo(String name) {
    return nodes.computeIfAbsent(name, n -> new NodeInfo());
  }

  public synchronized void addNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo info = nodeInfo(name);
    if (info.node() == null) {
      nodeCount++;
      nodeSetGeneration = NodeInfo.nextGeneration();
    }
    info.setNode(node);
    changed(name);
  }

  public synchronized void updateNode(Node node) {
    addNode(node);
  }

  /** Forgets the node; its pods stay accounted until they are deleted, as upstream. */
  public synchronized void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null || info.node() == null) {
      return;
    }
    nodeCount--;
    nodeSetGeneration = NodeInfo.nextGeneration();
    if (info.pods().isEmpty()) {
      nodes.remove(name);
    } else {
      NodeInfo orphan = new NodeInfo();
      info.pods().forEach(orphan::addPod);
      nodes.put(name, orphan);
    }
    changed(name);
  }

  /**
   * Places the pod on {@code nodeName} before the binding is written, so capacity is reserved.
   *
   * @throws IllegalStateException when the pod is already in the cache
   */
  public synchronized void assumePod(PodInfo pod, String nodeName) {
    String key = cacheKey(pod.pod());
    if (pods.containsKey(key)) {
      throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
    }
    nodeInfo(nodeName).addPod(pod);
    changed(nodeName);
    pods.put(key, new PodState(pod, nodeName, true));
  }

  /** Undoes {@link #assumePod} after a failed binding or rejected permit. */
  public synchronized void forgetPod(Pod pod) {
    String key = cacheKey(pod);
    PodState state = pods.get(key);
    if (state != null && state.assumed()) {
      removeFromNode(state);
      pods.remove(key);
    }
  }

  public synchronized boolean isAssumed(Pod pod) {
    PodState state = pods.get(cacheKey(pod));
    return state != null && state.assumed();
  }

  /** A pod seen bound to a node by the informer; confirms an assumed pod. */
  public synchronized void addPod(Pod pod) {
    String nodeName = pod.getSpec().getNodeName();
    String key = cacheKey(pod);
    PodState state = pods.get(key);
    if (state != null) {
      removeFromNode(state);
    }
    PodInfo info = new PodInfo(pod);
    nodeInfo(nodeName).addPod(info);
    changed(nodeName);
    pods.put(key, new PodState(info, nodeName, false));
  }

  public synchronized void updatePod(Pod pod) {
    addPod(pod);
  }

  public synchronized void removePod(Pod pod) {
    PodState state = pods.remove(cacheKey(pod));
    if (state != null) {
      removeFromNode(state);
    }
  }

  private void removeFromNode(PodState state) {
    NodeInfo info = nodes.get(state.nodeName());
    if (info != null) {
      info.removePod(state.info());
      if (info.node() == null && info.pods().isEmpty()) {
        nodes.remove(state.nodeName());
      }
      changed(state.nodeName());
    }
  }

  public synchronized int nodeCount() {
    return nodeCount;
  }

  public synchronized int podCount() {
    return pods.size();
  }

  /**
   * Brings the snapshot up to date, copying only the nodes that changed since its last update, so a
   * cycle costs little even with thousands of nodes.
   */
  public synchronized void updateSnapshot(Snapshot snapshot) {
    long since = snapshot.generation();
    long newest = since;
    boolean affinityChanged = false;
    boolean imagesChanged = false;
    Map<String, NodeInfo> map = snapshot.nodeInfoMap();
    List<String> removed = new ArrayList<>();
    for (var e : changes.sequencedEntrySet().reversed()) {
      if (e.getValue() <= since) {
        break;
      }
      newest = Math.max(newest, e.getValue());
      String name = e.getKey();
      NodeInfo info = nodes.get(name);
      NodeInfo old = map.get(name);
      if (info == null || info.node() == null) {
        if (old != null) {
          removed.add(name);
          affinityChanged |= !old.podsWithAffinity().isEmpty();
        }
        continue;
      }
      NodeInfo copy = info.copy();
      snapshot.put(name, copy);
      imagesChanged |= old == null || old.node() != copy.node();
      affinityChanged |=
          !copy.podsWithAffinity().isEmpty() || (old != null && !old.podsWithAffinity().isEmpty());
    }
    removed.forEach(map::remove);
    newest = Math.max(newest, nodeSetGeneration);
    boolean relist = snapshot.nodeSetGeneration() != nodeSetGeneration;
    snapshot.refresh(
        newest,
        relist ? zoneInterleaved() : null,
        nodeSetGeneration,
        relist || affinityChanged,
        relist || imagesChanged);
  }

  // Node names taken round-robin across zones, so the first feasible nodes found span zones.
  private List<String> zoneInterleaved() {
    Map<String, List<String>> byZone = new LinkedHashMap<>();
    int total = 0;
    for (NodeInfo info : nodes.values()) {
      if (info.node() != null) {
        String zone = info.labels().getOrDefault("topology.kubernetes.io/zone", "");
        String region = info.labels().getOrDefault("topology.kubernetes.io/region", "");
        byZone.computeIfAbsent(region + ":\0:" + zone, z -> new ArrayList<>()).add(info.name());
        total++;
      }
    }
    List<String> out = new ArrayList<>(total);
    for (int i = 0; out.size() < total; i++) {
      for (List<String> zone : byZone.values()) {
        if (i < zone.size()) {
          out.add(zone.get(i));
        }
      }
    }
    return out;
  }
}
