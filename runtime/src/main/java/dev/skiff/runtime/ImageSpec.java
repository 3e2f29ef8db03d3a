package dev.skiff.runtime;

import java.util.Map;

/** An image reference as the kubelet passes it (CRI {@code ImageSpec}). */
public record ImageSpec(String image, Map<String, String> annotations) {
  public ImageSpec {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public ImageSpec(String image) {
    this(image, null);
  }
}
