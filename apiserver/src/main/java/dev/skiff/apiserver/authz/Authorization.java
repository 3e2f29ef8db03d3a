package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.errors.ApiException;
import java.util.List;

/**
 * The authorizer chain the API server runs, as upstream's {@code --authorization-mode=Node,RBAC}
 * preceded by the {@code system:masters} short cut: the first authorizer with an opinion decides,
 * and no opinion at all means forbidden.
 */
public final class Authorization implements Authorizer {
  public static final String MASTERS = "system:masters";

  private final List<Authorizer> chain;

  public Authorization(List<Authorizer> chain) {
    this.chain = List.copyOf(chain);
  }

  @Override
  public Decision authorize(Attributes a) {
    if (a.user().groups().contains(MASTERS)) {
      return Decision.ALLOW;
    }
    for (Authorizer z : chain) {
      Decision d = z.authorize(a);
      if (d != Decision.NO_OPINION) {
        return d;
      }
    }
    return Decision.NO_OPINION;
  }

  public boolean allowed(Attributes a) {
    return authorize(a) == Decision.ALLOW;
  }

  /** Throws upstream's 403 Forbidden Status unless {@code a} is allowed. */
  public void check(Attributes a) {
    if (!allowed(a)) {
      throw forbidden(a, "");
    }
  }

  /** Upstream's wording: {@code pods is forbidden: User "u" cannot list resource "pods" ...}. */
  public static ApiException forbidden(Attributes a, String reason) {
    String who = "User \"" + a.user().name() + "\" cannot " + a.verb();
    String why;
    if (!a.resourceRequest()) {
      why = who + " path \"" + a.path() + "\"";
    } else {
      why =
          who
              + " resource \""
              + a.resourceWithSubresource()
              + "\" in API group \""
              + a.group()
              + "\""
              + (a.namespace().isEmpty()
                  ? " at the cluster scope"
                  : " in the namespace \"" + a.namespace() + "\"");
    }
    if (!reason.isEmpty()) {
      why += ": " + reason;
    }
    String qualified =
        !a.resourceRequest()
            ? ""
            : a.group().isEmpty() ? a.resource() : a.resource() + "." + a.group();
    String message;
    if (qualified.isEmpty()) {
      message = "forbidden: " + why;
    } else if (a.name().isEmpty()) {
      message = qualified + " is forbidden: " + why;
    } else {
      message = qualified + " \"" + a.name() + "\" is forbidden: " + why;
    }
    return new ApiException(
        403,
        "Forbidden",
        message,
        a.name().isEmpty() ? null : a.name(),
        a.group(),
        a.resourceRequest() ? a.resource() : null,
        List.of(),
        0);
  }
}
