package dev.skiff.apiserver.auth;

import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Upstream's authenticator union: the verified client certificate, else a bearer token tried by
 * each token authenticator in turn. No credentials at all make the anonymous user; credentials that
 * do not check out make no user, and the request is refused.
 */
public final class Authentication {
  private final List<TokenAuthenticator> tokens;
  private final ServiceAccountTokens serviceAccounts;
  private final RequestAuthenticator certificates = new RequestAuthenticator();

  public Authentication(List<TokenAuthenticator> tokens, ServiceAccountTokens serviceAccounts) {
    this.tokens = List.copyOf(tokens);
    this.serviceAccounts = serviceAccounts;
  }

  /** The request's user; anonymous without credentials; empty when credentials are invalid. */
  public Optional<UserInfo> authenticate(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header != null) {
      String[] parts = header.trim().split("\\s+", 2);
      if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
        // Another scheme (basic auth) is not accepted, as upstream since 1.19.
        return certificateUser(request);
      }
      return authenticateToken(parts[1].trim(), serviceAccounts.audiences());
    }
    UserInfo user = certificates.fromPeerCertificate(request);
    // A certificate without a common name names nobody; upstream refuses it.
    if (user.anonymous() && certificates.hasPeerCertificate(request)) {
      return Optional.empty();
    }
    return Optional.of(user);
  }

  private Optional<UserInfo> certificateUser(Request request) {
    UserInfo u = certificates.fromPeerCertificate(request);
    return u.anonymous() ? Optional.empty() : Optional.of(u);
  }

  /** The user {@code token} stands for, when any token authenticator accepts it. */
  public Optional<UserInfo> authenticateToken(String token, List<String> audiences) {
    Optional<UserInfo> sa = serviceAccounts.authenticate(token, audiences);
    if (sa.isPresent()) {
      return sa;
    }
    for (TokenAuthenticator t : tokens) {
      Optional<UserInfo> u = t.authenticate(token);
      if (u.isPresent()) {
        return u;
      }
    }
    return Optional.empty();
  }

  public List<String> apiAudiences() {
    return serviceAccounts.audiences();
  }

  public ServiceAccountTokens serviceAccounts() {
    return serviceAccounts;
  }
}
