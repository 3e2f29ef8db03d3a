package dev.skiff.dashboard.proxy;

import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * The API server the dashboard proxy forwards to, and who the proxy is there.
 *
 * @param server the API server's base URL, e.g. {@code https://127.0.0.1:6443}
 * @param tls trusts the server's CA and shows the user's client certificate, if any
 * @param bearerToken a token to send instead of (or besides) the certificate; null for none
 */
public record Upstream(URI server, SSLContext tls, String bearerToken) {
  public Upstream {
    String s = server.toString();
    if (s.endsWith("/")) {
      server = URI.create(s.substring(0, s.length() - 1));
    }
  }

  @Override
  public String toString() {
    // Never print the token.
    return "Upstream[" + server + "]";
  }
}
