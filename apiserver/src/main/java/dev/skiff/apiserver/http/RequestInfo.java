package dev.skiff.apiserver.http;

import java.util.Set;

/**
 * What a resource request addresses, as upstream's RequestInfo: {@code
 * /apis/<group>/<version>/namespaces/<ns>/<resource>/<name>/<subresource>}.
 *
 * @param verb get, list, watch, create, update, patch, delete or deletecollection
 */
public record RequestInfo(
    String verb,
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  // Namespace subresources are addressed as /namespaces/<name>/<sub>, not as resources in it.
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /**
   * Parses a resource path; null when {@code path} is not a resource request (discovery, health).
   *
   * @param watchParam the {@code watch} query parameter, which turns list into watch
   */
  public static RequestInfo parse(String method, String path, String watchParam) {
    // Every request is parsed (by metrics and audit too): trimmed by hand rather than by a regex.
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') {
      from++;
    }
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    String[] raw = path.substring(from, to).split("/");
    int i;
    String group;
    if (raw.length >= 3 && raw[0].equals("api")) {
      group = "";
      i = 1;
    } else if (raw.length >= 4 && raw[0].equals("apis")) {
      group = raw[1];
      i = 2;
    } else {
      return null;
    }
    String version = raw[i++];
    String[] parts = java.util.Arrays.copyOfRange(raw, i, raw.length);
    boolean watchPrefix = false;
    if (parts.length > 0 && parts[0].equals("watch")) {
      watchPrefix = true;
      parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
    }
    if (parts.length == 0) {
      return null;
    }
    String namespace = "";
    if (parts[0].equals("namespaces") && parts.length > 1) {
      namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.contains(parts[2])) {
        parts = java.util.Arrays.copyOfRange(parts, 2, parts.length);
      }
    }
    if (parts.length > 3) {
      return null;
    }
    String resource = parts[0];
    String name = parts.length > 1 ? parts[1] : "";
    String sub = parts.length > 2 ? parts[2] : "";
    boolean watch = watchPrefix || "true".equals(watchParam) || "1".equals(watchParam);
    String verb =
        switch (method) {
          case "GET", "HEAD" ->
              name.isEmpty() ? (watch ? "watch" : "list") : (watch ? "watch" : "get");
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
          default -> "";
        };
    return new RequestInfo(verb, group, version, namespace, resource, name, sub);
  }
}
