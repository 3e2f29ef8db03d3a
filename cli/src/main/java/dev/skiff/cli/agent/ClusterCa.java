package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import dev.skiff.cli.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Discovers the cluster CA from the server before trusting it: the server presents its CA at the
 * end of its certificate chain, and the agent accepts it only if its SHA-256 is the hash the token
 * carries, which makes the token the trust anchor as in kubeadm's token discovery.
 */
public final class ClusterCa {
  private ClusterCa() {}

  /**
   * The hashes a CA answers to: of its PEM certificate as {@code ca.crt} holds it (the token's
   * form) and of its public key (kubeadm's {@code --discovery-token-ca-cert-hash}).
   */
  public static Set<String> hashes(X509Certificate ca) {
    return Set.of(
        sha256(Pem.encode(ca).getBytes(StandardCharsets.US_ASCII)),
        sha256(ca.getPublicKey().getEncoded()));
  }

  /** Fetches the CA {@code server} presents and checks it against {@code expectedHash}. */
  public static X509Certificate discover(URI server, String expectedHash) {
    X509Certificate[] chain = presentedChain(server);
    X509Certificate ca = chain[chain.length - 1];
    if (ca.getBasicConstraints() < 0
        || !ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
      throw new UserError(
          "the server at " + server + " presents no CA certificate in its chain; is it Skiff?");
    }
    Set<String> actual = hashes(ca);
    if (!actual.contains(expectedHash)) {
      throw new UserError(
          "the server's CA certificate has sha256:"
              + sha256(Pem.encode(ca).getBytes(StandardCharsets.US_ASCII))
              + " but the token expects sha256:"
              + expectedHash
              + "; refusing to join (wrong token, or not the server that made it)");
    }
    return ca;
  }

  private static X509Certificate[] presentedChain(URI server) {
    X509Certificate[][] seen = new X509Certificate[1][];
    // Captures the chain without trusting it; the hash check below is what decides.
    TrustManager capture =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen[0] = chain.clone();
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    int port = server.getPort() == -1 ? 443 : server.getPort();
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {capture}, null);
      try (var socket = (SSLSocket) tls.getSocketFactory().createSocket(server.getHost(), port)) {
        socket.setSoTimeout(30_000);
        socket.startHandshake();
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new UserError("cannot reach the server at " + server + ": " + e.getMessage(), e);
    }
    if (seen[0] == null || seen[0].length == 0) {
      throw new UserError("the server at " + server + " presented no certificate");
    }
    return seen[0];
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
