package dev.skiff.runtime;

import java.util.List;

/**
 * A stored image (CRI {@code Image}). {@code id} is the config digest; {@code uid}/{@code username}
 * come from the image's USER.
 */
public record Image(
    String id,
    List<String> repoTags,
    List<String> repoDigests,
    long size,
    Long uid,
    String username,
    boolean pinned) {}
