package dev.skiff.apiserver.allocation;

/** An allocator whose whole state is a range and a bitmap, so it can be kept in the store. */
interface RangeAllocator {
  /** The range in the text form stored beside the bitmap. */
  String range();

  byte[] snapshot();

  void restore(String range, byte[] data) throws AllocationException;

  /** Forgets every allocation. */
  default void clear() throws AllocationException {
    restore(range(), new byte[0]);
  }
}
