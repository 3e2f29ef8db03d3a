package dev.skiff.runtime.cgroups;

/**
 * One value to write into a cgroup: {@code controller} is the v1 hierarchy name (empty on v2),
 * {@code file} the interface file.
 */
public record CgroupWrite(String controller, String file, String value) {}
