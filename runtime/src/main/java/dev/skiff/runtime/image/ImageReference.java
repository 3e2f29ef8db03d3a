package dev.skiff.runtime.image;

import dev.skiff.runtime.ContainerRuntimeException;
import java.util.regex.Pattern;

/**
 * A parsed image name, normalised as Docker does: {@code busybox:1.35} is {@code
 * docker.io/library/busybox:1.35}; no tag and no digest means {@code latest}.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  public static final String DEFAULT_REGISTRY = "docker.io";
  private static final Pattern REPO =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  public static ImageReference parse(String ref) {
    if (ref == null || ref.isBlank()) throw invalid(ref, "empty image name");
    String rest = ref;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) throw invalid(ref, "invalid digest");
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) throw invalid(ref, "invalid tag");
    }
    String registry = DEFAULT_REGISTRY;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) rest = "library/" + rest;
    if (!REPO.matcher(rest).matches()) throw invalid(ref, "invalid repository name");
    if (tag == null && digest == null) tag = "latest";
    return new ImageReference(registry, rest, tag, digest);
  }

  /** True for a bare image id ({@code sha256:<hex>} or its hex), which names no repository. */
  public static boolean isId(String ref) {
    return ref != null && (DIGEST.matcher(ref).matches() || ref.matches("[a-f0-9]{64}"));
  }

  public String name() {
    return registry + "/" + repository;
  }

  /** {@code registry/repository:tag}, or null for a digest-only reference. */
  public String tagged() {
    return tag == null ? null : name() + ":" + tag;
  }

  /** {@code registry/repository@digest}, or null without a digest. */
  public String digested() {
    return digest == null ? null : name() + "@" + digest;
  }

  @Override
  public String toString() {
    return digest != null ? digested() : tagged();
  }

  private static ContainerRuntimeException invalid(String ref, String why) {
    return new ContainerRuntimeException(
        ContainerRuntimeException.Code.INVALID_ARGUMENT,
        "invalid image reference \"" + ref + "\": " + why);
  }
}
