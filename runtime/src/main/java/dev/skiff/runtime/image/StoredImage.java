package dev.skiff.runtime.image;

import java.util.List;

/**
 * An image in the store: id (config digest), names, the diff ids of its layers (bottom first), the
 * config that shapes containers, and its unpacked size.
 */
public record StoredImage(
    String id,
    List<String> repoTags,
    List<String> repoDigests,
    List<String> diffIds,
    ImageConfig config,
    long size) {
  public StoredImage {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    diffIds = List.copyOf(diffIds);
  }
}
