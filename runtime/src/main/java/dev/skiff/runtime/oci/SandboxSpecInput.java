package dev.skiff.runtime.oci;

import java.util.Map;

/** What the pause container's config.json is made from. */
public record SandboxSpecInput(
    String rootfs,
    String pausePath,
    String hostname,
    Namespaces namespaces,
    String cgroupsPath,
    Map<String, String> sysctls,
    long oomScoreAdj) {}
