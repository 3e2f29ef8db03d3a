package dev.skiff.apiserver.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the API server reaches kubelets: HTTPS, identified by its kubelet client certificate when one
 * is configured. Like upstream without {@code --kubelet-certificate-authority}, the kubelet's
 * serving certificate is not verified.
 */
public final class KubeletClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final SSLContext tls;
  private final HttpClient http;

  /**
   * @param clientKeyStore the API server's kubelet client certificate and key; null for none
   * @param password the key's password
   */
  public KubeletClient(KeyStore clientKeyStore, char[] password) {
    try {
      KeyManager[] keys = null;
      if (clientKeyStore != null) {
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(clientKeyStore, password);
        keys = kmf.getKeyManagers();
      }
      tls = SSLContext.getInstance("TLS");
      tls.init(keys, new TrustManager[] {new TrustingManager()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "unusable kubelet client certificate: " + e.getMessage(), e);
    }
    SSLParameters params = tls.getDefaultSSLParameters();
    // Streaming endpoints need HTTP/1.1; no ALPN means no HTTP/2 either way.
    params.setApplicationProtocols(new String[] {"http/1.1"});
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls)
            .sslParameters(params)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** For plain requests (logs, node proxy). */
  public HttpClient http() {
    return http;
  }

  /** A TLS connection to the kubelet, handshaken, for an upgrade the caller speaks itself. */
  public Socket connect(KubeletAddress address) throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(
          new InetSocketAddress(address.host(), address.port()), (int) CONNECT_TIMEOUT.toMillis());
      SSLSocket s =
          (SSLSocket)
              tls.getSocketFactory().createSocket(raw, address.host(), address.port(), true);
      s.setUseClientMode(true);
      s.startHandshake();
      return s;
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** Accepts any server certificate, and so skips host name checks too (extended manager). */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
