package dev.skiff.apiserver.allocation;

/**
 * A Service whose stored IP or port could not be re-marked during repair; {@code reason} is the
 * event reason upstream's repair controllers emit (e.g. {@code ClusterIPAlreadyAllocated}).
 */
public record RepairProblem(String namespace, String name, String reason, String message) {}
