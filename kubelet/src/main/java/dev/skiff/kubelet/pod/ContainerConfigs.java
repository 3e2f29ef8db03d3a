package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.env.Expansion;
import dev.skiff.runtime.Capabilities;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.KeyValue;
import dev.skiff.runtime.LinuxContainerConfig;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.SecurityProfile;
import dev.skiff.runtime.cgroups.PodCgroups;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runtime's container configuration from a pod's container, its environment and mounts. */
public final class ContainerConfigs {
  private ContainerConfigs() {}

  /** {@code <container>/<attempt>.log} under the pod's log directory, as upstream names it. */
  public static String logPath(String container, int attempt) {
    return container + "/" + attempt + ".log";
  }

  public static ContainerConfig of(
      Pod pod,
      Container c,
      boolean init,
      int attempt,
      Map<String, String> env,
      List<Mount> mounts,
      PodSandboxConfig sandbox,
      String pidTargetId,
      long nodeMemoryBytes) {
    List<KeyValue> envs = new ArrayList<>();
    env.forEach((k, v) -> envs.add(new KeyValue(k, v)));
    var sc = c.getSecurityContext();
    var psc = pod.getSpec().getSecurityContext();
    Long runAsUser =
        sc != null && sc.getRunAsUser() != null
            ? sc.getRunAsUser()
            : psc == null ? null : psc.getRunAsUser();
    Long runAsGroup =
        sc != null && sc.getRunAsGroup() != null
            ? sc.getRunAsGroup()
            : psc == null ? null : psc.getRunAsGroup();
    Capabilities caps =
        sc == null || sc.getCapabilities() == null
            ? null
            : new Capabilities(sc.getCapabilities().getAdd(), sc.getCapabilities().getDrop());
    NamespaceOptions ns = sandbox.namespaceOptions();
    if (pidTargetId != null) {
      // kubectl debug --target: the debugger sees the target container's processes.
      ns = new NamespaceOptions(ns.network(), NamespaceMode.TARGET, ns.ipc(), pidTargetId);
    }
    LinuxContainerSecurityContext security =
        new LinuxContainerSecurityContext(
            caps,
            sc != null && Boolean.TRUE.equals(sc.getPrivileged()),
            ns,
            runAsUser,
            null,
            runAsGroup,
            psc == null ? null : psc.getSupplementalGroups(),
            sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
            sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
            SecurityProfile.UNCONFINED,
            null,
            null);
    var resources =
        PodCgroups.container(PodResources.requirements(c), PodResources.qos(pod), nodeMemoryBytes);
    return new ContainerConfig(
        new ContainerMetadata(c.getName(), attempt),
        new ImageSpec(c.getImage()),
        Expansion.expandAll(c.getCommand(), env),
        Expansion.expandAll(c.getArgs(), env),
        c.getWorkingDir(),
        envs,
        mounts,
        null,
        PodLabels.container(pod, c, init),
        Map.of(
            "io.kubernetes.container.restartCount",
            Integer.toString(attempt),
            "io.kubernetes.container.terminationMessagePath",
            c.getTerminationMessagePath() == null
                ? "/dev/termination-log"
                : c.getTerminationMessagePath()),
        logPath(c.getName(), attempt),
        Boolean.TRUE.equals(c.getStdin()),
        Boolean.TRUE.equals(c.getStdinOnce()),
        Boolean.TRUE.equals(c.getTty()),
        new LinuxContainerConfig(resources, security));
  }
}
