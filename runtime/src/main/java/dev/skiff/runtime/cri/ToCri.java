package dev.skiff.runtime.cri;

import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.LinuxSandboxSecurityContext;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.SecurityProfile;
import dev.skiff.runtime.cri.v1.Capability;
import dev.skiff.runtime.cri.v1.ContainerMetadata;
import dev.skiff.runtime.cri.v1.ContainerStateValue;
import dev.skiff.runtime.cri.v1.DNSConfig;
import dev.skiff.runtime.cri.v1.Device;
import dev.skiff.runtime.cri.v1.Int64Value;
import dev.skiff.runtime.cri.v1.KeyValue;
import dev.skiff.runtime.cri.v1.LinuxContainerConfig;
import dev.skiff.runtime.cri.v1.LinuxPodSandboxConfig;
import dev.skiff.runtime.cri.v1.Mount;
import dev.skiff.runtime.cri.v1.MountPropagation;
import dev.skiff.runtime.cri.v1.NamespaceMode;
import dev.skiff.runtime.cri.v1.NamespaceOption;
import dev.skiff.runtime.cri.v1.PodSandboxMetadata;
import dev.skiff.runtime.cri.v1.PodSandboxStateValue;
import dev.skiff.runtime.cri.v1.PortMapping;
import dev.skiff.runtime.cri.v1.Protocol;

/** Skiff's runtime records as CRI {@code runtime.v1} messages. */
final class ToCri {
  private ToCri() {}

  static dev.skiff.runtime.cri.v1.PodSandboxConfig sandbox(PodSandboxConfig c) {
    var b =
        dev.skiff.runtime.cri.v1.PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder()
                    .setName(c.metadata().name())
                    .setUid(c.metadata().uid())
                    .setNamespace(nullToEmpty(c.metadata().namespace()))
                    .setAttempt(c.metadata().attempt()))
            .setHostname(nullToEmpty(c.hostname()))
            .setLogDirectory(nullToEmpty(c.logDirectory()))
            .setDnsConfig(
                DNSConfig.newBuilder()
                    .addAllServers(c.dnsConfig().servers())
                    .addAllSearches(c.dnsConfig().searches())
                    .addAllOptions(c.dnsConfig().options()))
            .putAllLabels(c.labels())
            .putAllAnnotations(c.annotations());
    for (var p : c.portMappings()) {
      b.addPortMappings(
          PortMapping.newBuilder()
              .setProtocol(Protocol.valueOf(p.protocol().name()))
              .setContainerPort(p.containerPort())
              .setHostPort(p.hostPort())
              .setHostIp(nullToEmpty(p.hostIp())));
    }
    var linux = c.linux();
    b.setLinux(
        LinuxPodSandboxConfig.newBuilder()
            .setCgroupParent(nullToEmpty(linux.cgroupParent()))
            .setSecurityContext(sandboxSecurity(linux.securityContext()))
            .putAllSysctls(linux.sysctls())
            .setResources(resources(linux.resources())));
    return b.build();
  }

  private static dev.skiff.runtime.cri.v1.LinuxSandboxSecurityContext sandboxSecurity(
      LinuxSandboxSecurityContext s) {
    var b =
        dev.skiff.runtime.cri.v1.LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(namespaces(s.namespaceOptions()))
            .setPrivileged(s.privileged())
            .setReadonlyRootfs(s.readonlyRootfs())
            .addAllSupplementalGroups(s.supplementalGroups());
    if (s.runAsUser() != null) b.setRunAsUser(Int64Value.newBuilder().setValue(s.runAsUser()));
    if (s.runAsGroup() != null) b.setRunAsGroup(Int64Value.newBuilder().setValue(s.runAsGroup()));
    if (s.seccomp() != null) b.setSeccomp(profile(s.seccomp()));
    return b.build();
  }

  static dev.skiff.runtime.cri.v1.ContainerConfig container(ContainerConfig c) {
    var b =
        dev.skiff.runtime.cri.v1.ContainerConfig.newBuilder()
            .setMetadata(
                ContainerMetadata.newBuilder()
                    .setName(c.metadata().name())
                    .setAttempt(c.metadata().attempt()))
            .setImage(image(c.image()))
            .addAllCommand(c.command())
            .addAllArgs(c.args())
            .setWorkingDir(nullToEmpty(c.workingDir()))
            .putAllLabels(c.labels())
            .putAllAnnotations(c.annotations())
            .setLogPath(nullToEmpty(c.logPath()))
            .setStdin(c.stdin())
            .setStdinOnce(c.stdinOnce())
            .setTty(c.tty());
    c.envs().forEach(e -> b.addEnvs(KeyValue.newBuilder().setKey(e.key()).setValue(e.value())));
    for (var m : c.mounts()) {
      b.addMounts(
          Mount.newBuilder()
              .setContainerPath(m.containerPath())
              .setHostPath(m.hostPath())
              .setReadonly(m.readonly())
              .setPropagation(propagation(m.propagation())));
    }
    for (var d : c.devices()) {
      b.addDevices(
          Device.newBuilder()
              .setContainerPath(d.containerPath())
              .setHostPath(d.hostPath())
              .setPermissions(nullToEmpty(d.permissions())));
    }
    b.setLinux(
        LinuxContainerConfig.newBuilder()
            .setResources(resources(c.linux().resources()))
            .setSecurityContext(containerSecurity(c.linux().securityContext())));
    return b.build();
  }

  private static dev.skiff.runtime.cri.v1.LinuxContainerSecurityContext containerSecurity(
      LinuxContainerSecurityContext s) {
    var b =
        dev.skiff.runtime.cri.v1.LinuxContainerSecurityContext.newBuilder()
            .setCapabilities(
                Capability.newBuilder()
                    .addAllAddCapabilities(s.capabilities().add())
                    .addAllDropCapabilities(s.capabilities().drop()))
            .setPrivileged(s.privileged())
            .setNamespaceOptions(namespaces(s.namespaceOptions()))
            .setRunAsUsername(nullToEmpty(s.runAsUsername()))
            .setReadonlyRootfs(s.readonlyRootfs())
            .addAllSupplementalGroups(s.supplementalGroups())
            .setNoNewPrivs(s.noNewPrivs())
            .setSeccomp(profile(s.seccomp()));
    if (s.runAsUser() != null) b.setRunAsUser(Int64Value.newBuilder().setValue(s.runAsUser()));
    if (s.runAsGroup() != null) b.setRunAsGroup(Int64Value.newBuilder().setValue(s.runAsGroup()));
    if (s.maskedPaths() != null) b.addAllMaskedPaths(s.maskedPaths());
    if (s.readonlyPaths() != null) b.addAllReadonlyPaths(s.readonlyPaths());
    return b.build();
  }

  /** CRI has no pids limit per container: the kubelet sets it on the pod cgroup. */
  static dev.skiff.runtime.cri.v1.LinuxContainerResources resources(LinuxContainerResources r) {
    return dev.skiff.runtime.cri.v1.LinuxContainerResources.newBuilder()
        .setCpuPeriod(r.cpuPeriod())
        .setCpuQuota(r.cpuQuota())
        .setCpuShares(r.cpuShares())
        .setMemoryLimitInBytes(r.memoryLimitInBytes())
        .setOomScoreAdj(r.oomScoreAdj())
        .setCpusetCpus(nullToEmpty(r.cpusetCpus()))
        .setCpusetMems(nullToEmpty(r.cpusetMems()))
        .putAllUnified(r.unified())
        .build();
  }

  private static NamespaceOption namespaces(NamespaceOptions n) {
    return NamespaceOption.newBuilder()
        .setNetwork(NamespaceMode.valueOf(n.network().name()))
        .setPid(NamespaceMode.valueOf(n.pid().name()))
        .setIpc(NamespaceMode.valueOf(n.ipc().name()))
        .setTargetId(nullToEmpty(n.targetId()))
        .build();
  }

  private static dev.skiff.runtime.cri.v1.SecurityProfile profile(SecurityProfile p) {
    var type =
        switch (p.type()) {
          case RUNTIME_DEFAULT ->
              dev.skiff.runtime.cri.v1.SecurityProfile.ProfileType.RuntimeDefault;
          case UNCONFINED -> dev.skiff.runtime.cri.v1.SecurityProfile.ProfileType.Unconfined;
          case LOCALHOST -> dev.skiff.runtime.cri.v1.SecurityProfile.ProfileType.Localhost;
        };
    return dev.skiff.runtime.cri.v1.SecurityProfile.newBuilder()
        .setProfileType(type)
        .setLocalhostRef(nullToEmpty(p.localhostRef()))
        .build();
  }

  private static MountPropagation propagation(dev.skiff.runtime.MountPropagation p) {
    return switch (p) {
      case PRIVATE -> MountPropagation.PROPAGATION_PRIVATE;
      case HOST_TO_CONTAINER -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
      case BIDIRECTIONAL -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
    };
  }

  static dev.skiff.runtime.cri.v1.ImageSpec image(ImageSpec i) {
    return dev.skiff.runtime.cri.v1.ImageSpec.newBuilder()
        .setImage(i.image())
        .putAllAnnotations(i.annotations())
        .build();
  }

  static dev.skiff.runtime.cri.v1.AuthConfig auth(AuthConfig a) {
    return dev.skiff.runtime.cri.v1.AuthConfig.newBuilder()
        .setUsername(nullToEmpty(a.username()))
        .setPassword(nullToEmpty(a.password()))
        .setAuth(nullToEmpty(a.auth()))
        .setServerAddress(nullToEmpty(a.serverAddress()))
        .setIdentityToken(nullToEmpty(a.identityToken()))
        .setRegistryToken(nullToEmpty(a.registryToken()))
        .build();
  }

  static dev.skiff.runtime.cri.v1.PodSandboxFilter sandboxFilter(PodSandboxFilter f) {
    var b = dev.skiff.runtime.cri.v1.PodSandboxFilter.newBuilder().setId(nullToEmpty(f.id()));
    if (f.state() != null) {
      b.setState(
          PodSandboxStateValue.newBuilder()
              .setState(dev.skiff.runtime.cri.v1.PodSandboxState.valueOf(f.state().name())));
    }
    if (f.labelSelector() != null) b.putAllLabelSelector(f.labelSelector());
    return b.build();
  }

  static dev.skiff.runtime.cri.v1.ContainerFilter containerFilter(ContainerFilter f) {
    var b =
        dev.skiff.runtime.cri.v1.ContainerFilter.newBuilder()
            .setId(nullToEmpty(f.id()))
            .setPodSandboxId(nullToEmpty(f.podSandboxId()));
    if (f.state() != null) {
      b.setState(
          ContainerStateValue.newBuilder()
              .setState(dev.skiff.runtime.cri.v1.ContainerState.valueOf(f.state().name())));
    }
    if (f.labelSelector() != null) b.putAllLabelSelector(f.labelSelector());
    return b.build();
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
