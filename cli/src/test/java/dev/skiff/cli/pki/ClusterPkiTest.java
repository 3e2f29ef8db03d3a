package dev.skiff.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
  @TempDir Path dataDir;

  @Test
  void servingCertificateIsSignedByTheCaAndCarriesTheNames() throws Exception {
    var pki = ClusterPki.loadOrCreate(dataDir);
    var leaf =
        pki.serving(List.of("kubernetes.default.svc"), List.of(InetAddress.getByName("127.0.0.1")));
    leaf.certificate().verify(pki.caCertificate().getPublicKey());
    Set<String> sans =
        leaf.certificate().getSubjectAlternativeNames().stream()
            .map(n -> String.valueOf(n.get(1)))
            .collect(Collectors.toSet());
    assertEquals(Set.of("kubernetes.default.svc", "127.0.0.1"), sans);
  }

  @Test
  void restartReusesTheCaAndReissuesServingOnlyWhenNamesChange() throws Exception {
    var first = ClusterPki.loadOrCreate(dataDir);
    var ip = List.of(InetAddress.getByName("127.0.0.1"));
    var a = first.serving(List.of("a"), ip);

    var second = ClusterPki.loadOrCreate(dataDir);
    assertEquals(first.caCertificate(), second.caCertificate());
    assertEquals(a.certificate(), second.serving(List.of("a"), ip).certificate());
    assertNotEquals(a.certificate(), second.serving(List.of("a", "b"), ip).certificate());
  }

  @Test
  void adminCertificateNamesUserAndGroupAndKeysArePrivate() throws Exception {
    var pki = ClusterPki.loadOrCreate(dataDir);
    var admin = pki.client("admin", "system:admin", List.of("system:masters"));
    String subject = admin.certificate().getSubjectX500Principal().getName();
    assertTrue(
        subject.contains("CN=system:admin") && subject.contains("O=system:masters"), subject);
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(dataDir.resolve("tls/admin.key")));
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(dataDir.resolve("tls/ca.key")));
  }

  @Test
  void leafCertificatesNearExpiryAreReissuedUnderTheSameCaOnStart() throws Exception {
    var pki = ClusterPki.loadOrCreate(dataDir);
    var ip = List.of(InetAddress.getByName("127.0.0.1"));
    var longLived = pki.client("scheduler", "system:kube-scheduler", List.of());
    // Certificates a week from expiry, as a cluster left running for a year would have.
    var ca = CertificateAuthority.loadOrCreate(dataDir.resolve("tls"), "ca", "skiff-ca");
    var shortAdmin =
        ca.issue("system:admin", List.of("system:masters"), List.of(), List.of(), false, WEEK);
    writeLeaf("admin", shortAdmin.certificate(), shortAdmin.key());
    var shortServing = ca.issue("kube-apiserver", List.of(), List.of("a"), ip, true, WEEK);
    writeLeaf("serving", shortServing.certificate(), shortServing.key());

    var restarted = ClusterPki.loadOrCreate(dataDir);
    assertEquals(pki.caCertificate(), restarted.caCertificate());
    var admin = restarted.client("admin", "system:admin", List.of("system:masters"));
    var serving = restarted.serving(List.of("a"), ip);
    for (var renewed : List.of(admin.certificate(), serving.certificate())) {
      renewed.verify(restarted.caCertificate().getPublicKey());
      assertTrue(
          renewed.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(300))),
          renewed.getNotAfter().toString());
    }
    assertNotEquals(shortAdmin.certificate(), admin.certificate());
    assertNotEquals(shortServing.certificate(), serving.certificate());
    assertTrue(
        admin.certificate().getSubjectX500Principal().getName().contains("O=system:masters"));
    // What is far from expiry stays as it is.
    assertEquals(
        longLived.certificate(),
        restarted.client("scheduler", "system:kube-scheduler", List.of()).certificate());
    // The front-proxy CA is made once and kept.
    assertTrue(Files.exists(dataDir.resolve("tls/front-proxy-ca.crt")));
  }

  private static final Duration WEEK = Duration.ofDays(7);

  private void writeLeaf(String name, X509Certificate cert, PrivateKey key) throws Exception {
    Files.writeString(dataDir.resolve("tls/" + name + ".crt"), Pem.encode(cert));
    Files.writeString(dataDir.resolve("tls/" + name + ".key"), Pem.encode(key));
  }
}
