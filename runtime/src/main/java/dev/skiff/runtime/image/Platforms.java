package dev.skiff.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.runtime.ContainerRuntimeException;

/** Picks this node's entry (linux/amd64) from a manifest list or OCI index. */
final class Platforms {
  static final String OS = "linux";
  static final String ARCH = "amd64";

  private Platforms() {}

  static JsonNode select(JsonNode index) {
    for (JsonNode m : index.path("manifests")) {
      JsonNode p = m.path("platform");
      if (OS.equals(p.path("os").asText()) && ARCH.equals(p.path("architecture").asText()))
        return m;
    }
    throw new ContainerRuntimeException(
        ContainerRuntimeException.Code.NOT_FOUND, "no manifest for platform " + OS + "/" + ARCH);
  }
}
