package dev.skiff.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
}
