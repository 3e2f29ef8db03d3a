package dev.skiff.runtime.oci;

/**
 * Files the sandbox shares with its containers: {@code /etc/hosts}, {@code /etc/resolv.conf},
 * {@code /etc/hostname}, the {@code /dev/shm} directory; and the container's own termination-log
 * file. A null entry is not mounted.
 */
public record SandboxFiles(
    String hosts, String resolvConf, String hostname, String shm, String terminationLog) {}
