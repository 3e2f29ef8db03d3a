package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.runtime.DnsConfig;
import dev.skiff.runtime.LinuxPodSandboxConfig;
import dev.skiff.runtime.LinuxSandboxSecurityContext;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PortMapping;
import dev.skiff.runtime.Protocol;
import dev.skiff.runtime.cgroups.PodCgroups;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The runtime's sandbox configuration for a pod: names, hostname, DNS, ports, namespaces. */
public final class SandboxConfigs {
  private SandboxConfigs() {}

  /** {@code <podLogDir>/<namespace>_<name>_<uid>}, where the CRI logs of the pod go. */
  public static Path logDirectory(KubeletConfig config, Pod pod) {
    var m = pod.getMetadata();
    return config.podLogDir().resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
  }

  public static PodSandboxConfig of(KubeletConfig config, Pod pod, int attempt) {
    var m = pod.getMetadata();
    var spec = pod.getSpec();
    List<PortMapping> ports = new ArrayList<>();
    for (Container c : spec.getContainers()) {
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          ports.add(
              new PortMapping(
                  Protocol.valueOf(
                      (p.getProtocol() == null ? "TCP" : p.getProtocol()).toUpperCase(Locale.ROOT)),
                  p.getContainerPort(),
                  p.getHostPort(),
                  p.getHostIP()));
        }
      }
    }
    NamespaceOptions ns =
        new NamespaceOptions(
            Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD,
            Boolean.TRUE.equals(spec.getHostPID())
                ? NamespaceMode.NODE
                : Boolean.TRUE.equals(spec.getShareProcessNamespace())
                    ? NamespaceMode.POD
                    : NamespaceMode.CONTAINER,
            Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD,
            null);
    var psc = spec.getSecurityContext();
    LinuxSandboxSecurityContext sc =
        new LinuxSandboxSecurityContext(
            ns,
            false,
            psc == null ? null : psc.getRunAsUser(),
            psc == null ? null : psc.getRunAsGroup(),
            psc == null ? null : psc.getSupplementalGroups(),
            false,
            null);
    return new PodSandboxConfig(
        new PodSandboxMetadata(m.getName(), m.getUid(), m.getNamespace(), attempt),
        hostname(pod),
        logDirectory(config, pod).toString(),
        dns(config, pod),
        ports,
        PodLabels.sandbox(pod),
        m.getAnnotations() == null ? Map.of() : m.getAnnotations(),
        new LinuxPodSandboxConfig(
            PodCgroups.podCgroup(PodResources.qos(pod), m.getUid()), sc, sysctls(pod), null));
  }

  /** {@code spec.hostname}, else the pod's name cut to 63 characters, as upstream. */
  static String hostname(Pod pod) {
    String h = pod.getSpec().getHostname();
    if (h == null || h.isEmpty()) {
      h = pod.getMetadata().getName();
    }
    return h.length() > 63 ? h.substring(0, 63).replaceAll("[-.]+$", "") : h;
  }

  /**
   * ClusterFirst pods (the default) resolve through the cluster DNS with the namespace's search
   * path; Default and host-network pods without ClusterFirstWithHostNet use the node's resolver (an
   * empty config); None takes {@code dnsConfig} alone.
   */
  static DnsConfig dns(KubeletConfig config, Pod pod) {
    var spec = pod.getSpec();
    String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
    boolean hostNet = Boolean.TRUE.equals(spec.getHostNetwork());
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    boolean cluster =
        !config.clusterDns().isEmpty()
            && (policy.equals("ClusterFirstWithHostNet")
                || (policy.equals("ClusterFirst") && !hostNet));
    if (cluster) {
      String d = config.clusterDomain();
      servers.addAll(config.clusterDns());
      searches.add(pod.getMetadata().getNamespace() + ".svc." + d);
      searches.add("svc." + d);
      searches.add(d);
      options.add("ndots:5");
    }
    var extra = spec.getDnsConfig();
    if (extra != null) {
      servers.addAll(extra.getNameservers());
      searches.addAll(extra.getSearches());
      extra
          .getOptions()
          .forEach(
              o ->
                  options.add(
                      o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue()));
    }
    return new DnsConfig(servers, searches, options);
  }

  private static Map<String, String> sysctls(Pod pod) {
    var psc = pod.getSpec().getSecurityContext();
    if (psc == null || psc.getSysctls() == null) {
      return Map.of();
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    psc.getSysctls().forEach(s -> out.put(s.getName(), s.getValue()));
    return out;
  }
}
