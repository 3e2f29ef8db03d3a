package dev.skiff.scheduler.cache;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A pod with everything the plugins derive from it computed once: requests, host ports and parsed
 * affinity terms. Immutable; a changed pod gets a new PodInfo.
 */
public final class PodInfo {
  private final Pod pod;
  private final String key;
  private final Resource requests;
  private final Resource nonZeroRequests;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<AffinityTerm> preferredAffinity;
  private final List<AffinityTerm> preferredAntiAffinity;

  public PodInfo(Pod pod) {
    this.pod = pod;
    this.key = keyOf(pod);
    this.requests = PodRequests.of(pod);
    this.nonZeroRequests = PodRequests.nonZero(pod);
    this.hostPorts = hostPortsOf(pod);
    Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
    var pa = affinity == null ? null : affinity.getPodAffinity();
    var paa = affinity == null ? null : affinity.getPodAntiAffinity();
    this.requiredAffinity =
        required(pod, pa == null ? null : pa.getRequiredDuringSchedulingIgnoredDuringExecution());
    this.requiredAntiAffinity =
        required(pod, paa == null ? null : paa.getRequiredDuringSchedulingIgnoredDuringExecution());
    this.preferredAffinity =
        preferred(pod, pa == null ? null : pa.getPreferredDuringSchedulingIgnoredDuringExecution());
    this.preferredAntiAffinity =
        preferred(
            pod, paa == null ? null : paa.getPreferredDuringSchedulingIgnoredDuringExecution());
  }

  private PodInfo(PodInfo derivedFrom, Pod pod) {
    this.pod = pod;
    this.key = derivedFrom.key;
    this.requests = derivedFrom.requests;
    this.nonZeroRequests = derivedFrom.nonZeroRequests;
    this.hostPorts = derivedFrom.hostPorts;
    this.requiredAffinity = derivedFrom.requiredAffinity;
    this.requiredAntiAffinity = derivedFrom.requiredAntiAffinity;
    this.preferredAffinity = derivedFrom.preferredAffinity;
    this.preferredAntiAffinity = derivedFrom.preferredAntiAffinity;
  }

  /**
   * The same pod with only {@code spec.nodeName} set, as assumed onto a node; shares everything
   * derived, which nodeName does not affect.
   */
  public PodInfo assumedOn(String nodeName) {
    Pod assumed = new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
    return new PodInfo(this, assumed);
  }

  public static String keyOf(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static List<AffinityTerm> required(Pod pod, List<PodAffinityTerm> terms) {
    return terms == null ? List.of() : map(terms, t -> AffinityTerm.of(pod, t, 0));
  }

  private static List<AffinityTerm> preferred(Pod pod, List<WeightedPodAffinityTerm> terms) {
    if (terms == null) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>();
    for (WeightedPodAffinityTerm w : terms) {
      int weight = w.getWeight() == null ? 0 : w.getWeight();
      out.add(AffinityTerm.of(pod, w.getPodAffinityTerm(), weight));
    }
    return List.copyOf(out);
  }

  private static <T, R> List<R> map(List<T> in, Function<T, R> f) {
    List<R> out = new ArrayList<>(in.size());
    in.forEach(t -> out.add(f.apply(t)));
    return List.copyOf(out);
  }

  private static List<HostPort> hostPortsOf(Pod pod) {
    if (pod.getSpec() == null) {
      return List.of();
    }
    List<HostPort> out = new ArrayList<>();
    collectPorts(pod.getSpec().getContainers(), false, out);
    // Sidecar init containers keep running, so their ports stay taken.
    collectPorts(pod.getSpec().getInitContainers(), true, out);
    return List.copyOf(out);
  }

  private static void collectPorts(
      List<Container> containers, boolean restartableOnly, List<HostPort> out) {
    if (containers == null) {
      return;
    }
    for (Container c : containers) {
      if ((restartableOnly && !"Always".equals(c.getRestartPolicy())) || c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add(HostPort.of(p.getHostIP(), p.getProtocol(), p.getHostPort()));
        }
      }
    }
  }

  public Pod pod() {
    return pod;
  }

  /** {@code namespace/name}. */
  public String key() {
    return key;
  }

  public String uid() {
    return pod.getMetadata().getUid();
  }

  public Resource requests() {
    return requests;
  }

  public Resource nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<HostPort> hostPorts() {
    return hostPorts;
  }

  public List<AffinityTerm> requiredAffinity() {
    return requiredAffinity;
  }

  public List<AffinityTerm> requiredAntiAffinity() {
    return requiredAntiAffinity;
  }

  public List<AffinityTerm> preferredAffinity() {
    return preferredAffinity;
  }

  public List<AffinityTerm> preferredAntiAffinity() {
    return preferredAntiAffinity;
  }

  public boolean hasAffinity() {
    return !requiredAffinity.isEmpty()
        || !requiredAntiAffinity.isEmpty()
        || !preferredAffinity.isEmpty()
        || !preferredAntiAffinity.isEmpty();
  }
}
