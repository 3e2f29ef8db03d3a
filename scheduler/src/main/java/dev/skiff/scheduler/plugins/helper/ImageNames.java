package dev.skiff.scheduler.plugins.helper;

/**
 * Normalizes image references the way container runtimes report them, so {@code nginx} in a pod
 * matches {@code docker.io/library/nginx:latest} in a node's status.
 */
public final class ImageNames {
  private ImageNames() {}

  public static String normalize(String image) {
    if (image == null || image.isEmpty()) {
      return "";
    }
    String name = image;
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry =
        slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (!hasRegistry) {
      name = (slash < 0 ? "docker.io/library/" : "docker.io/") + name;
    }
    int lastSlash = name.lastIndexOf('/');
    String last = name.substring(lastSlash + 1);
    if (!last.contains(":") && !last.contains("@")) {
      name = name + ":latest";
    }
    return name;
  }
}
