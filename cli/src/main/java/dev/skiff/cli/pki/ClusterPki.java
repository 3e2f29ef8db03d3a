package dev.skiff.cli.pki;

import dev.skiff.cli.host.AtomicFile;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster's TLS material under {@code <data-dir>/tls}: a CA and a front-proxy CA made on first
 * start, the API server's serving certificate (re-issued when its names change), and client
 * certificates such as the admin's ({@code O=system:masters}) that the kubeconfig carries. Leaf
 * certificates are re-issued under the same CA on start once within 90 days of expiry, as k3s
 * renews them.
 */
public final class ClusterPki {
  static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  static final Duration RENEW_BEFORE = Duration.ofDays(90);
  static final char[] KEYSTORE_PASSWORD = "skiff".toCharArray();

  private final Path dir;
  private final CertificateAuthority ca;

  private ClusterPki(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  public static ClusterPki loadOrCreate(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("tls");
    // The front-proxy CA signs the requestheader client certificate of aggregated API servers.
    CertificateAuthority.loadOrCreate(dir, "front-proxy-ca", "skiff-front-proxy-ca");
    return new ClusterPki(dir, CertificateAuthority.loadOrCreate(dir, "ca", "skiff-ca"));
  }

  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** The CA's private key, for the controller manager's CSR signer only. */
  public PrivateKey caKey() {
    return ca.key();
  }

  /** The API server's serving certificate for these names. */
  public Leaf serving(List<String> dnsNames, List<InetAddress> ips) throws IOException {
    return serving("serving", "kube-apiserver", dnsNames, ips);
  }

  /**
   * A serving certificate kept as {@code <file>.crt/key}: from disk while still good for these
   * names, else newly issued.
   */
  public Leaf serving(String file, String commonName, List<String> dnsNames, List<InetAddress> ips)
      throws IOException {
    Set<String> wanted = new HashSet<>(dnsNames);
    ips.forEach(ip -> wanted.add(ip.getHostAddress()));
    Leaf existing = read(file);
    if (existing != null && fresh(existing) && sans(existing.certificate()).equals(wanted)) {
      return existing;
    }
    var issued = ca.issue(commonName, List.of(), dnsNames, ips, true, LEAF_VALIDITY);
    return write(file, new Leaf(issued.certificate(), issued.key()));
  }

  /** A client certificate for {@code user} in {@code groups}, kept as {@code <file>.crt/key}. */
  public Leaf client(String file, String user, List<String> groups) throws IOException {
    Leaf existing = read(file);
    if (existing != null && fresh(existing)) {
      return existing;
    }
    var issued = ca.issue(user, groups, List.of(), List.of(), false, LEAF_VALIDITY);
    return write(file, new Leaf(issued.certificate(), issued.key()));
  }

  /** Key store with a leaf's key and chain, for a TLS connector or client. */
  public KeyStore keyStore(Leaf serving) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "serving",
          serving.key(),
          KEYSTORE_PASSWORD,
          new Certificate[] {serving.certificate(), ca.certificate()});
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build key store", e);
    }
  }

  /** Trust store holding the CA, to verify client certificates. */
  public KeyStore clientCaTrustStore() {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("ca", ca.certificate());
      return ts;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust store", e);
    }
  }

  public static char[] keyStorePassword() {
    return KEYSTORE_PASSWORD.clone();
  }

  /** A certificate with its private key. */
  public record Leaf(X509Certificate certificate, PrivateKey key) {}

  private Leaf read(String name) throws IOException {
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    if (!Files.exists(crt) || !Files.exists(key)) {
      return null;
    }
    return new Leaf(Pem.readCertificate(crt), Pem.readPrivateKey(key));
  }

  private Leaf write(String name, Leaf leaf) throws IOException {
    AtomicFile.write(dir.resolve(name + ".key"), Pem.encode(leaf.key()), true);
    AtomicFile.write(dir.resolve(name + ".crt"), Pem.encode(leaf.certificate()), false);
    return leaf;
  }

  private static boolean fresh(Leaf leaf) {
    return leaf.certificate().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
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
}
