package dev.skiff.apiserver.allocation;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * A fixed-size set of taken offsets. Dynamic allocation starts at a random offset at or above
 * {@code dynamicFloor} and wraps, so the band below it stays free for user-chosen values as long as
 * possible (upstream's "random scan with offset" strategy).
 */
final class AllocationBitmap {
  private final int size;
  private final int dynamicFloor;
  private final IntUnaryOperator random;
  private final BitSet taken;

  AllocationBitmap(int size, int dynamicFloor) {
    this(size, dynamicFloor, bound -> ThreadLocalRandom.current().nextInt(bound));
  }

  AllocationBitmap(int size, int dynamicFloor, IntUnaryOperator random) {
    this.size = size;
    this.dynamicFloor = dynamicFloor < size ? dynamicFloor : 0;
    this.random = random;
    this.taken = new BitSet(size);
  }

  int size() {
    return size;
  }

  /** Marks {@code offset} taken; false when it already was. */
  boolean allocate(int offset) {
    if (taken.get(offset)) {
      return false;
    }
    taken.set(offset);
    return true;
  }

  /** The next free offset, marked taken; -1 when everything is taken. */
  int allocateNext() {
    int upper = size - dynamicFloor;
    int found = scan(dynamicFloor, upper);
    if (found < 0) {
      found = scan(0, dynamicFloor);
    }
    if (found >= 0) {
      taken.set(found);
    }
    return found;
  }

  private int scan(int from, int length) {
    if (length <= 0) {
      return -1;
    }
    int start = from + random.applyAsInt(length);
    int end = from + length;
    int hit = taken.nextClearBit(start);
    if (hit < end) {
      return hit;
    }
    hit = taken.nextClearBit(from);
    return hit < start ? hit : -1;
  }

  void release(int offset) {
    taken.clear(offset);
  }

  boolean has(int offset) {
    return taken.get(offset);
  }

  int used() {
    return taken.cardinality();
  }

  void clear() {
    taken.clear();
  }

  /** Little-endian bit order, as {@link BitSet#toByteArray()}. */
  byte[] toBytes() {
    return taken.toByteArray();
  }

  void restore(byte[] data) {
    BitSet restored = BitSet.valueOf(data);
    if (restored.length() > size) {
      throw new IllegalArgumentException(
          "allocation data marks offset " + (restored.length() - 1) + " beyond a range of " + size);
    }
    taken.clear();
    taken.or(restored);
  }
}
