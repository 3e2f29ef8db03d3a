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
 * The single place where a request's user is derived: the verified client certificate's CN is the
 * user name and its O entries the groups, as upstream's x509 authenticator. Requests without a
 * certificate are anonymous. Authorization is a later concern and does not live here.
 */
public final class RequestAuthenticator {

  public UserInfo authenticate(Request request) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
        instanceof EndPoint.SslSessionData ssl) {
      X509Certificate[] chain = ssl.peerCertificates();
      if (chain != null && chain.length > 0) {
        return fromCertificate(chain[0]);
      }
    }
    return UserInfo.ANONYMOUS;
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
    groups.add("system:authenticated");
    return new UserInfo(cn, groups);
  }
}
