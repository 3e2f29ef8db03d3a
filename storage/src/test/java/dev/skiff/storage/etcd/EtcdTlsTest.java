package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --datastore-cafile/certfile/keyfile} against an etcd that requires client certificates.
 */
class EtcdTlsTest {
  @TempDir Path dir;

  @Test
  void connectsWithClientCertificateAndIsRefusedWithout() throws Exception {
    Path ca = dir.resolve("ca.crt");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=skiff-test-ca",
        "-keyout",
        dir.resolve("ca.key").toString(),
        "-out",
        ca.toString());
    Path serverCert = sign("server", "serverAuth");
    Path clientCert = sign("client", "clientAuth");
    LocalEtcd.ServerTls tls = new LocalEtcd.ServerTls(serverCert, dir.resolve("server.key"), ca);

    try (LocalEtcd etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1, tls)) {
      assertTrue(etcd.clientUrls().getFirst().startsWith("https://"));
      try (Store store =
          Stores.open(etcd.endpoint(), dir, ca, clientCert, dir.resolve("client.key"))) {
        store.create("/registry/tls/a", "secret".getBytes(UTF_8), 0);
        assertEquals(
            "secret", new String(store.get("/registry/tls/a").orElseThrow().value(), UTF_8));
      }
      StorageException refused =
          assertThrows(
              StorageException.class, () -> Stores.open(etcd.endpoint(), dir, ca, null, null));
      assertTrue(refused.getMessage().startsWith("cannot reach etcd"), refused.getMessage());
    }
  }

  /** A certificate for 127.0.0.1 signed by the test CA, with its PKCS#8 key beside it. */
  private Path sign(String name, String usage) throws Exception {
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=" + usage + "\n");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        dir.resolve(name + ".key").toString(),
        "-out",
        csr.toString());
    Path cert = dir.resolve(name + ".crt");
    openssl(
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        dir.resolve("ca.crt").toString(),
        "-CAkey",
        dir.resolve("ca.key").toString(),
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        ext.toString(),
        "-out",
        cert.toString());
    return cert;
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + readLog());
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("openssl.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
