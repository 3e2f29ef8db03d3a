package dev.skiff.runtime.image;

/** Progress of one layer download: bytes so far of {@code total} (-1 when unknown). */
public record PullProgress(String image, String digest, long bytes, long total, boolean done) {}
