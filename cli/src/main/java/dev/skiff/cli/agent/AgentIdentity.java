package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import dev.skiff.cli.cluster.ComponentClients;
import dev.skiff.cli.cluster.NodeCredentials;
import dev.skiff.cli.host.AtomicFile;
import dev.skiff.cli.kubeconfig.Kubeconfig;
import dev.skiff.cli.pki.Pem;
import dev.skiff.kubelet.server.ServingTls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A joined node's identity under {@code <data-dir>/agent}: the cluster CA it pinned, its client
 * certificate ({@code system:node:<name>}) and kubeconfig, and the kubelet's serving certificate.
 * Obtained once with the join token; a restart reuses them while they are good and renews them, as
 * the node itself, when they near expiry.
 */
public final class AgentIdentity implements NodeCredentials {
  /** Certificates this close to expiry are requested anew. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final char[] PASSWORD = "skiff".toCharArray();

  private final URI server;
  private final X509Certificate ca;
  private final Pair client;
  private final Pair serving;

  private record Pair(X509Certificate certificate, PrivateKey key) {}

  private AgentIdentity(URI server, X509Certificate ca, Pair client, Pair serving) {
    this.server = server;
    this.ca = ca;
    this.client = client;
    this.serving = serving;
  }

  /** What the agent was asked to be. */
  public record Request(
      URI server,
      String token,
      String caCertHash,
      String nodeName,
      String nodeIp,
      List<String> hostNames,
      Duration timeout) {}

  /** Loads the saved identity, or joins with the token for what is missing or stale. */
  public static AgentIdentity obtain(Path dataDir, Request r) {
    Path dir = dataDir.resolve("agent");
    try {
      Files.createDirectories(dir);
      X509Certificate ca = read(dir, "ca.crt");
      Pair client = readPair(dir, "client");
      boolean known =
          ca != null
              && client != null
              && sameServer(dir, r.server())
              && subjectIs(client.certificate(), "system:node:" + r.nodeName())
              && client.certificate().getNotAfter().toInstant().isAfter(Instant.now());
      if (known && !fresh(client.certificate())) {
        // Rotation as the kubelet's: the node asks for its successor as itself (selfnodeclient).
        try (KubernetesClient node = clientFor(r.server(), ca, client, null, "kubelet")) {
          var issued = new CertificateRequests(node, r.timeout()).client(r.nodeName());
          client = new Pair(issued.certificate(), issued.key().getPrivate());
        } catch (KubernetesClientException e) {
          throw new UserError(
              "the server refused to renew this node's certificate: " + reason(e), e);
        }
        saveClient(dir, r.server(), ca, client);
      } else if (!known) {
        if (r.token() == null || r.token().isBlank()) {
          throw new UserError(
              "this node has not joined yet: pass --token (from `skiff token create`)");
        }
        JoinToken token = JoinToken.parse(r.token(), r.caCertHash());
        ca = ClusterCa.discover(r.server(), token.caHash());
        try (KubernetesClient bootstrap =
            clientFor(r.server(), ca, null, token.bearer(), "kubelet")) {
          var issued = new CertificateRequests(bootstrap, r.timeout()).client(r.nodeName());
          client = new Pair(issued.certificate(), issued.key().getPrivate());
        } catch (KubernetesClientException e) {
          throw refused(e);
        }
        saveClient(dir, r.server(), ca, client);
      }
      Pair serving = readPair(dir, "serving");
      List<InetAddress> ips = List.of(InetAddress.getByName(r.nodeIp()));
      if (serving == null
          || !fresh(serving.certificate())
          || !sans(serving.certificate()).equals(wanted(r.hostNames(), ips))) {
        var self = new AgentIdentity(r.server(), ca, client, null);
        try (KubernetesClient node = self.kubelet(r.nodeName())) {
          var issued =
              new CertificateRequests(node, r.timeout()).serving(r.nodeName(), r.hostNames(), ips);
          serving = new Pair(issued.certificate(), issued.key().getPrivate());
        } catch (KubernetesClientException e) {
          throw new UserError(
              "the server refused this node's serving certificate request: " + reason(e), e);
        }
        AtomicFile.write(dir.resolve("serving.key"), Pem.encode(serving.key()), true);
        AtomicFile.write(dir.resolve("serving.crt"), Pem.encode(serving.certificate()), false);
      }
      return new AgentIdentity(r.server(), ca, client, serving);
    } catch (IOException e) {
      throw new UserError(
          "cannot keep the node's credentials in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void saveClient(Path dir, URI server, X509Certificate ca, Pair client)
      throws IOException {
    AtomicFile.write(dir.resolve("ca.crt"), Pem.encode(ca), false);
    AtomicFile.write(dir.resolve("client.key"), Pem.encode(client.key()), true);
    AtomicFile.write(dir.resolve("client.crt"), Pem.encode(client.certificate()), false);
    AtomicFile.write(dir.resolve("server"), server + "\n", false);
    new Kubeconfig("skiff-agent", server.toString(), ca, client.certificate(), client.key())
        .write(dir.resolve("kubeconfig.yaml"));
  }

  @Override
  public KubernetesClient kubelet(String nodeName) {
    return clientFor(server, ca, client, null, "kubelet");
  }

  /** The proxy and routes read Services, EndpointSlices and Nodes as the node itself. */
  @Override
  public KubernetesClient proxy(String nodeName) {
    return clientFor(server, ca, client, null, "kube-proxy");
  }

  @Override
  public ServingTls kubeletServing(String nodeName, String nodeIp) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "serving", serving.key(), PASSWORD, new Certificate[] {serving.certificate(), ca});
      // The API server reaches kubelets with a client certificate from the cluster CA.
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      return new ServingTls(keys, PASSWORD.clone(), trust);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the kubelet's key store", e);
    }
  }

  private static KubernetesClient clientFor(
      URI server, X509Certificate ca, Pair identity, String bearer, String component) {
    var config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.toString())
            .withCaCertData(base64(Pem.encode(ca)))
            .withRequestTimeout(30_000)
            .withUserAgent(ComponentClients.userAgent(component))
            .withOnlyHttpWatches(true)
            // As ComponentClients: no shared HTTP/2 connection for watches and requests.
            .withHttp2Disable(true);
    if (identity != null) {
      config
          .withClientCertData(base64(Pem.encode(identity.certificate())))
          .withClientKeyData(base64(Pem.encode(identity.key())));
    } else {
      config.withOauthToken(bearer);
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  private static UserError refused(KubernetesClientException e) {
    if (e.getCode() == 401) {
      return new UserError(
          "the server refused the join token: it is unknown, expired or deleted"
              + " (see `skiff token list` on the server)",
          e);
    }
    if (e.getCode() == 403) {
      return new UserError("the join token may not request node certificates: " + reason(e), e);
    }
    return new UserError("joining failed: " + reason(e), e);
  }

  private static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  private static boolean sameServer(Path dir, URI server) throws IOException {
    Path file = dir.resolve("server");
    return Files.isRegularFile(file) && Files.readString(file).trim().equals(server.toString());
  }

  private static boolean fresh(X509Certificate cert) {
    return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
  }

  private static boolean subjectIs(X509Certificate cert, String commonName) {
    RDN[] cn =
        X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
    return cn.length == 1
        && IETFUtils.valueToString(cn[0].getFirst().getValue()).equals(commonName);
  }

  private static Set<String> wanted(List<String> dnsNames, List<InetAddress> ips) {
    Set<String> out = new HashSet<>(dnsNames);
    ips.forEach(ip -> out.add(ip.getHostAddress()));
    return out;
  }

  private static Set<String> sans(X509Certificate cert) {
    Set<String> out = new HashSet<>();
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names != null) {
        names.forEach(n -> out.add(String.valueOf(n.get(1))));
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return out;
  }

  private static X509Certificate read(Path dir, String file) throws IOException {
    Path p = dir.resolve(file);
    return Files.isRegularFile(p) ? Pem.readCertificate(p) : null;
  }

  private static Pair readPair(Path dir, String name) throws IOException {
    X509Certificate cert = read(dir, name + ".crt");
    Path key = dir.resolve(name + ".key");
    if (cert == null || !Files.isRegularFile(key)) {
      return null;
    }
    return new Pair(cert, Pem.readPrivateKey(key));
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
