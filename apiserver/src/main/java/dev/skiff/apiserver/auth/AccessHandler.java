package dev.skiff.apiserver.auth;

import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.authz.Authorization;
import dev.skiff.apiserver.authz.EscalationCheck;
import dev.skiff.apiserver.authz.SignerApproval;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.RequestInfo;
import dev.skiff.apiserver.reviews.ReviewEndpoints;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The API server's access control in front of every handler, in upstream's filter order:
 * authentication (401 when credentials are missing or invalid, anonymous only for health and
 * version), impersonation, authorization (403 in upstream's words), then the review and
 * TokenRequest endpoints, which need the authorized identity; everything else passes on.
 */
public final class AccessHandler extends Handler.Wrapper {
  private static final Set<String> STREAMING = Set.of("exec", "attach", "portforward");
  private static final Set<String> ANONYMOUS_PATHS =
      Set.of("/healthz", "/livez", "/readyz", "/version");

  private final Authentication authn;
  private final Impersonation impersonation;
  private final Authorization authz;
  private final ReviewEndpoints reviews;
  private final OidcDiscovery oidc;
  private final EscalationCheck escalation;
  private final SignerApproval signerApproval;

  public AccessHandler(
      Authentication authn,
      Authorization authz,
      EscalationCheck escalation,
      SignerApproval signerApproval,
      ReviewEndpoints reviews,
      OidcDiscovery oidc,
      Handler next) {
    super(next);
    this.escalation = escalation;
    this.signerApproval = signerApproval;
    this.authn = authn;
    this.impersonation = new Impersonation(authz);
    this.authz = authz;
    this.reviews = reviews;
    this.oidc = oidc;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Optional<UserInfo> authenticated = authn.authenticate(request);
    Exchange ex =
        new Exchange(request, response, callback, authenticated.orElse(UserInfo.ANONYMOUS));
    try {
      if (authenticated.isEmpty()) {
        throw unauthorized();
      }
      UserInfo user = authenticated.get();
      boolean publicPath = ANONYMOUS_PATHS.contains(trimmed) || OidcDiscovery.handles(trimmed);
      if (user.anonymous() && !publicPath) {
        throw unauthorized();
      }
      user = impersonation.apply(user, request.getHeaders());
      request.setAttribute(RequestAuthenticator.USER_ATTRIBUTE, user);
      if (OidcDiscovery.handles(trimmed) && isRead(request.getMethod())) {
        ex.send(200, oidc.document(trimmed));
        return true;
      }
      RequestInfo ri = RequestInfo.parse(request.getMethod(), trimmed, ex.query("watch"));
      Attributes a = attributes(user, request.getMethod(), trimmed, ri);
      if (!(user.anonymous() && publicPath)) {
        authz.check(a);
        if (isStreamingGet(a)) {
          // Upstream 1.32: a WebSocket exec/attach/portforward (a GET) also needs create.
          authz.check(
              Attributes.resource(
                  user,
                  "create",
                  a.group(),
                  a.resource(),
                  a.subresource(),
                  a.namespace(),
                  a.name()));
        }
      }
      if (ri != null && reviews.handle(ex, a, ri.version())) {
        return true;
      }
      if (SignerApproval.applies(a)) {
        signerApproval.check(a);
      }
      if (EscalationCheck.applies(a)) {
        boolean patch = a.verb().equals("patch");
        escalation.check(a, patch ? null : ex.bodyObject());
        if (!patch) {
          return super.handle(new BufferedRequest(request, ex.body()), response, callback);
        }
      }
    } catch (ApiException e) {
      if (!ex.isCommitted()) {
        drainBody(ex);
        ex.sendError(e);
      }
      return true;
    }
    return super.handle(request, response, callback);
  }

  /**
   * Reads a refused request's body, so the connection stays usable: a server that answers before
   * consuming the body must close it, and a client may already be sending the next request on it.
   */
  private static void drainBody(Exchange ex) {
    try {
      ex.body();
    } catch (ApiException tooLargeOrBroken) {
      // The connection closes after this response; nothing more to save.
    }
  }

  static Attributes attributes(UserInfo user, String method, String path, RequestInfo ri) {
    if (ri == null) {
      String verb = isRead(method) ? "get" : method.toLowerCase(Locale.ROOT);
      return Attributes.nonResource(user, verb, path);
    }
    return Attributes.resource(
        user, ri.verb(), ri.group(), ri.resource(), ri.subresource(), ri.namespace(), ri.name());
  }

  private static boolean isStreamingGet(Attributes a) {
    return a.resourceRequest()
        && a.verb().equals("get")
        && a.group().isEmpty()
        && a.resource().equals("pods")
        && STREAMING.contains(a.subresource());
  }

  private static boolean isRead(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** Upstream's 401 Status. */
  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, List.of(), 0);
  }
}
