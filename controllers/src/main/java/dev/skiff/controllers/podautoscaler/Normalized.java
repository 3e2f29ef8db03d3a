package dev.skiff.controllers.podautoscaler;

/**
 * The replica count after stabilization and rate limits, with the reasons the conditions report:
 * AbleToScale's (stabilized or ready) and ScalingLimited's (limited or within range).
 */
record Normalized(
    int replicas,
    String ableReason,
    String ableMessage,
    boolean limited,
    String limitReason,
    String limitMessage) {}
