package dev.skiff.cli.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM encoding of certificates and private keys, as kubeconfigs and TLS files carry them. */
public final class Pem {
  private Pem() {}

  public static String encode(X509Certificate certificate) {
    var out = new StringWriter();
    try (var w = new JcaPEMWriter(out)) {
      w.writeObject(certificate);
    } catch (IOException e) {
      throw new IllegalStateException("PEM encoding failed", e);
    }
    return out.toString();
  }

  /** PKCS#8 ("PRIVATE KEY"), which Go's crypto/tls, OpenSSL and fabric8 all read. */
  public static String encode(PrivateKey key) {
    var b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN PRIVATE KEY-----\n"
        + b64.encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file);
        var p = new PEMParser(r)) {
      if (p.readObject() instanceof X509CertificateHolder holder) {
        return new JcaX509CertificateConverter().getCertificate(holder);
      }
      throw new IOException(file + " holds no PEM certificate");
    } catch (CertificateException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file);
        var p = new PEMParser(r)) {
      var converter = new JcaPEMKeyConverter();
      return switch (p.readObject()) {
        case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case null, default -> throw new IOException(file + " holds no PEM private key");
      };
    }
  }
}
