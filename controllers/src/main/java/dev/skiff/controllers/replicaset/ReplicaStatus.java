package dev.skiff.controllers.replicaset;

/**
 * The status a replica controller computes, shared by ReplicaSets and ReplicationControllers.
 * {@code failureReason} is null when there is no ReplicaFailure condition.
 */
record ReplicaStatus(
    int replicas,
    int fullyLabeledReplicas,
    int readyReplicas,
    int availableReplicas,
    long observedGeneration,
    String failureReason,
    String failureMessage) {}
