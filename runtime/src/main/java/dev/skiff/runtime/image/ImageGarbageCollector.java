package dev.skiff.runtime.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Frees image space as the kubelet's image GC does: once usage passes {@code highPercent} of the
 * capacity, unused images are removed, least recently used first, until usage is at or below {@code
 * lowPercent}. Images in use (by any container) are never removed.
 */
public final class ImageGarbageCollector {
  private final ImageStore store;

  public ImageGarbageCollector(ImageStore store) {
    this.store = store;
  }

  /** The ids removed and the bytes freed by one collection. */
  public record Result(List<String> removed, long freedBytes) {}

  public Result collect(Set<String> inUse, long capacityBytes, int highPercent, int lowPercent) {
    if (lowPercent > highPercent || highPercent > 100 || lowPercent < 0) {
      throw new IllegalArgumentException(
          "need 0 <= low <= high <= 100, got " + lowPercent + "/" + highPercent);
    }
    long before = store.usedBytes();
    if (before * 100 < (long) highPercent * capacityBytes) return new Result(List.of(), 0);
    long target = (long) lowPercent * capacityBytes / 100;
    List<StoredImage> candidates =
        new ArrayList<>(store.list().stream().filter(i -> !inUse.contains(i.id())).toList());
    candidates.sort(Comparator.comparing(i -> store.lastUsed(i.id())));
    List<String> removed = new ArrayList<>();
    for (StoredImage img : candidates) {
      if (store.usedBytes() <= target) break;
      if (store.remove(img.id())) removed.add(img.id());
    }
    return new Result(removed, before - store.usedBytes());
  }
}
