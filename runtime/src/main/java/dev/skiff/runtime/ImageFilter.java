package dev.skiff.runtime;

/** Narrows {@code listImages}; a null image matches all (CRI {@code ImageFilter}). */
public record ImageFilter(ImageSpec image) {
  public static final ImageFilter ALL = new ImageFilter(null);
}
