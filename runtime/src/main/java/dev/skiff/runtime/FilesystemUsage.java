package dev.skiff.runtime;

/** Usage of the filesystem that holds images (CRI {@code FilesystemUsage}). */
public record FilesystemUsage(long timestamp, String mountpoint, long usedBytes, long inodesUsed) {}
