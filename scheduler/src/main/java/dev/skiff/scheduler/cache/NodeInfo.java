package dev.skiff.scheduler.cache;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node and the pods on it (bound and assumed) with their summed requests, as upstream's
 * framework.NodeInfo. Mutated only by the cache; plugins read snapshot copies.
 */
public final class NodeInfo {
  private static final AtomicLong GENERATIONS = new AtomicLong();

  private Node node;
  private Resource allocatable = new Resource();
  private Map<String, Long> imageSizes = Map.of();
  private final List<PodInfo> pods;
  private final List<PodInfo> podsWithAffinity;
  private final List<PodInfo> podsWithRequiredAntiAffinity;
  private final List<HostPort> usedPorts;
  private final Resource requested;
  private final Resource nonZeroRequested;
  private long generation;

  public NodeInfo() {
    pods = new ArrayList<>();
    podsWithAffinity = new ArrayList<>();
    podsWithRequiredAntiAffinity = new ArrayList<>();
    usedPorts = new ArrayList<>();
    requested = new Resource();
    nonZeroRequested = new Resource();
    generation = GENERATIONS.incrementAndGet();
  }

  /** A node with the given pods, for tests and tools that do not need a cache. */
  public static NodeInfo of(Node node, PodInfo... pods) {
    NodeInfo info = new NodeInfo();
    info.setNode(node);
    for (PodInfo p : pods) {
      info.addPod(p);
    }
    return info;
  }

  private NodeInfo(NodeInfo other) {
    node = other.node;
    allocatable = other.allocatable;
    imageSizes = other.imageSizes;
    pods = new ArrayList<>(other.pods);
    podsWithAffinity = new ArrayList<>(other.podsWithAffinity);
    podsWithRequiredAntiAffinity = new ArrayList<>(other.podsWithRequiredAntiAffinity);
    usedPorts = new ArrayList<>(other.usedPorts);
    requested = other.requested.copy();
    nonZeroRequested = other.nonZeroRequested.copy();
    generation = other.generation;
  }

  public NodeInfo copy() {
    return new NodeInfo(this);
  }

  public void setNode(Node node) {
    this.node = node;
    this.allocatable =
        node.getStatus() == null ? new Resource() : Resource.of(node.getStatus().getAllocatable());
    Map<String, Long> sizes = new HashMap<>();
    if (node.getStatus() != null && node.getStatus().getImages() != null) {
      for (ContainerImage image : node.getStatus().getImages()) {
        long size = image.getSizeBytes() == null ? 0 : image.getSizeBytes();
        if (image.getNames() != null) {
          image.getNames().forEach(n -> sizes.put(n, size));
        }
      }
    }
    this.imageSizes = Map.copyOf(sizes);
    touch();
  }

  public void addPod(PodInfo pod) {
    pods.add(pod);
    if (pod.hasAffinity()) {
      podsWithAffinity.add(pod);
    }
    if (!pod.requiredAntiAffinity().isEmpty()) {
      podsWithRequiredAntiAffinity.add(pod);
    }
    usedPorts.addAll(pod.hostPorts());
    requested.add(pod.requests());
    nonZeroRequested.milliCpu += pod.nonZeroRequests().milliCpu;
    nonZeroRequested.memory += pod.nonZeroRequests().memory;
    touch();
  }

  /** Removes the pod with this UID (or key when UIDs are absent); false when it is not here. */
  public boolean removePod(PodInfo pod) {
    for (int i = 0; i < pods.size(); i++) {
      PodInfo p = pods.get(i);
      if (samePod(p, pod)) {
        pods.remove(i);
        podsWithAffinity.removeIf(a -> samePod(a, pod));
        podsWithRequiredAntiAffinity.removeIf(a -> samePod(a, pod));
        for (HostPort hp : p.hostPorts()) {
          usedPorts.remove(hp);
        }
        requested.subtract(p.requests());
        nonZeroRequested.milliCpu -= p.nonZeroRequests().milliCpu;
        nonZeroRequested.memory -= p.nonZeroRequests().memory;
        touch();
        return true;
      }
    }
    return false;
  }

  private static boolean samePod(PodInfo a, PodInfo b) {
    if (a.uid() != null && b.uid() != null) {
      return a.uid().equals(b.uid());
    }
    return a.key().equals(b.key());
  }

  private void touch() {
    generation = GENERATIONS.incrementAndGet();
  }

  /** A generation newer than every NodeInfo's so far, for changes that remove a node. */
  static long nextGeneration() {
    return GENERATIONS.incrementAndGet();
  }

  public Node node() {
    return node;
  }

  public String name() {
    return node == null ? "" : node.getMetadata().getName();
  }

  public Map<String, String> labels() {
    Map<String, String> labels = node == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  public Resource allocatable() {
    return allocatable;
  }

  /** The summed requests of every pod here. */
  public Resource requested() {
    return requested;
  }

  /** CPU and memory requests with upstream's non-zero defaults, for scoring. */
  public Resource nonZeroRequested() {
    return nonZeroRequested;
  }

  public List<PodInfo> pods() {
    return Collections.unmodifiableList(pods);
  }

  public List<PodInfo> podsWithAffinity() {
    return Collections.unmodifiableList(podsWithAffinity);
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return Collections.unmodifiableList(podsWithRequiredAntiAffinity);
  }

  public List<HostPort> usedPorts() {
    return Collections.unmodifiableList(usedPorts);
  }

  /** Image name to size in bytes, from the node's status. */
  public Map<String, Long> imageSizes() {
    return imageSizes;
  }

  public long generation() {
    return generation;
  }
}
