package dev.skiff.runtime.oci;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.image.ImageConfig;
import java.util.Map;

/**
 * What the runtime knows when it writes a container's config.json: the kubelet's config, the
 * image's, where the rootfs and shared files are, which namespaces to join, the cgroup path, the
 * pod's hostname and sysctls, the resolved user, and the lowest oom_score_adj the runtime may set
 * (lowering needs CAP_SYS_RESOURCE).
 */
public record ContainerSpecInput(
    ContainerConfig config,
    ImageConfig image,
    String rootfs,
    SandboxFiles files,
    Namespaces namespaces,
    String cgroupsPath,
    String hostname,
    Map<String, String> sysctls,
    ResolvedUser user,
    long minOomScoreAdj) {}
