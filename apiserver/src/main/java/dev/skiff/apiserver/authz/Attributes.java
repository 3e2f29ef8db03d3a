package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.auth.UserInfo;

/**
 * What a request asks to do, as upstream's authorizer.Attributes: a verb on a resource (group,
 * resource, subresource, namespace, name) or on a non-resource path.
 */
public record Attributes(
    UserInfo user,
    String verb,
    boolean resourceRequest,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  public static Attributes resource(
      UserInfo user,
      String verb,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return new Attributes(user, verb, true, group, resource, subresource, namespace, name, "");
  }

  public static Attributes nonResource(UserInfo user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", path);
  }

  /** {@code pods} or {@code pods/log}, as RBAC rules name it. */
  public String resourceWithSubresource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  public Attributes withUser(UserInfo other) {
    return new Attributes(
        other, verb, resourceRequest, group, resource, subresource, namespace, name, path);
  }
}
