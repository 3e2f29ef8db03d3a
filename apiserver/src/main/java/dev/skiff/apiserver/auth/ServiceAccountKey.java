package dev.skiff.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The RSA key that signs ServiceAccount tokens, a PKCS#8 PEM file ({@code
 * <data-dir>/tls/service.key}, as k3s) made on first start and kept across restarts so issued
 * tokens stay valid.
 */
public record ServiceAccountKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {

  public static ServiceAccountKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      write(file, generate());
    }
    String pem = Files.readString(file, StandardCharsets.UTF_8);
    String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      var kf = KeyFactory.getInstance("RSA");
      var key =
          (RSAPrivateCrtKey)
              kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
      var pub =
          (RSAPublicKey)
              kf.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
      return new ServiceAccountKey(key, pub);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IOException(file + " is not a PKCS#8 PEM RSA private key: " + e.getMessage(), e);
    }
  }

  private static byte[] generate() throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair().getPrivate().getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate the service account key: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, byte[] pkcs8) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n";
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system; the directory's permissions guard the key.
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
