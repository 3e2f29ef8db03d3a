package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * The user of a request as handlers see it: the identity {@link AccessHandler} established
 * (authenticated, possibly impersonated), or, on a server without access control, the verified
 * client certificate's CN as name and O entries as groups, as upstream's x509 authenticator.
 */
public final class RequestAuthenticator {
  /** Request attribute under which {@link AccessHandler} leaves the effective user. */
  public static final String USER_ATTRIBUTE = UserInfo.class.getName();

  public UserInfo authenticate(Request request) {
    if (request.getAttribute(USER_ATTRIBUTE) instanceof UserInfo user) {
      return user;
    }
    return fromPeerCertificate(request);
  }

  /** The user named by the TLS client certificate, anonymous without one. */
  public UserInfo fromPeerCertificate(Request request) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
        instanceof EndPoint.SslSessionData ssl) {
      X509Certificate[] chain = ssl.peerCertificates();
      if (chain != null && chain.length > 0) {
        return fromCertificate(chain[0]);
      }
    }
    return UserInfo.ANONYMOUS;
  }

  /** Whether the client presented a (verified) certificate. */
  public boolean hasPeerCertificate(Request request) {
    return request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
            instanceof EndPoint.SslSessionData ssl
        && ssl.peerCertificates() != null
        && ssl.peerCertificates().length > 0;
  }

  static UserInfo fromCertificate(X509Certificate cert) {
    String cn = "";
    List<String> groups = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return UserInfo.ANONYMOUS;
    }
    if (cn.isEmpty()) {
      return UserInfo.ANONYMOUS;
    }
    groups.add(UserInfo.AUTHENTICATED);
    return new UserInfo(cn, groups);
  }
}
