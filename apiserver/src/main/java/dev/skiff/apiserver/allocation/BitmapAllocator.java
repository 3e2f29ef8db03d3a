package dev.skiff.apiserver.allocation;

import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bitmap bookkeeping ClusterIPs and NodePorts share: counts, snapshot and restore, and repair
 * from the stored Services. Each allocator says how its values map to offsets and how they read.
 *
 * @param <V> one allocated value: a port or an IP literal
 */
abstract class BitmapAllocator<V> implements RangeAllocator {
  final AllocationBitmap bitmap;

  BitmapAllocator(AllocationBitmap bitmap) {
    this.bitmap = bitmap;
  }

  /** The bitmap offset of {@code value}; -1 when it lies outside the range. */
  abstract int offsetOf(V value);

  /** The values of this allocator's kind that {@code service} holds, as repair re-marks them. */
  abstract Collection<V> heldBy(Service service);

  /** {@code range} in the canonical form {@link #range()} returns. */
  abstract String canonical(String range);

  /** Why a snapshot of another range cannot be restored, in upstream's words. */
  abstract String mismatchMessage();

  /** What a value is called in repair events: "Port", "Cluster IP". */
  abstract String noun();

  /** The range as repair events name it: "the port range 30000-32767". */
  abstract String rangeDescription();

  public synchronized int used() {
    return bitmap.used();
  }

  public synchronized int free() {
    return bitmap.size() - bitmap.used();
  }

  @Override
  public synchronized byte[] snapshot() {
    return bitmap.toBytes();
  }

  /** Loads a snapshot taken from an allocator of the same range. */
  @Override
  public synchronized void restore(String range, byte[] data) throws AllocationException {
    if (!canonical(range).equals(range())) {
      throw new AllocationException(AllocationException.Reason.MISMATCHED_RANGE, mismatchMessage());
    }
    bitmap.restore(data);
  }

  /**
   * Rebuilds the bitmap from the Services that exist, the source of truth after a crash or a lost
   * snapshot. Returns the Services whose values could not be marked.
   */
  public synchronized List<RepairProblem> repair(Collection<Service> services) {
    bitmap.clear();
    String reasonPrefix = noun().replace(" ", "");
    List<RepairProblem> problems = new ArrayList<>();
    for (Service service : services) {
      String ns = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      for (V value : heldBy(service)) {
        int offset = offsetOf(value);
        if (offset < 0) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  reasonPrefix + "OutOfRange",
                  noun() + " " + value + " is not within " + rangeDescription()));
        } else if (!bitmap.allocate(offset)) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  reasonPrefix + "AlreadyAllocated",
                  noun() + " " + value + " was assigned to multiple services"));
        }
      }
    }
    return problems;
  }
}
