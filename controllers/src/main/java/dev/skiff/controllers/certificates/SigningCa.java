package dev.skiff.controllers.certificates;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster CA as the CSR signer uses it (upstream's {@code --cluster-signing-cert-file/key-file}
 * and {@code --cluster-signing-duration}): issues what a request asks for, within the CA's own
 * lifetime.
 */
public record SigningCa(X509Certificate certificate, PrivateKey key, Duration maxValidity) {
  /** Upstream's default {@code --cluster-signing-duration}: one year. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  /** Certificates start five minutes in the past, as upstream's, for clocks a little behind. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Signs {@code request}: its subject and requested alternative names, the key usages named by
   * {@code usages}, valid for {@code requested} (or the maximum) and never past the CA.
   */
  public String issuePem(CertificateRequest request, List<String> usages, Duration requested)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    Duration life =
        requested != null && requested.compareTo(maxValidity) < 0 ? requested : maxValidity;
    Instant notAfter = now.plus(life);
    Instant caEnd = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
            new BigInteger(127, RANDOM),
            Date.from(now.minus(BACKDATE)),
            Date.from(notAfter),
            request.pkcs10().getSubject(),
            request.pkcs10().getSubjectPublicKeyInfo());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      int keyUsage = 0;
      List<KeyPurposeId> purposes = new ArrayList<>();
      for (String u : usages) {
        switch (u) {
          case "digital signature" -> keyUsage |= KeyUsage.digitalSignature;
          case "key encipherment" -> keyUsage |= KeyUsage.keyEncipherment;
          case "client auth" -> purposes.add(KeyPurposeId.id_kp_clientAuth);
          case "server auth" -> purposes.add(KeyPurposeId.id_kp_serverAuth);
          default -> {}
        }
      }
      if (keyUsage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!purposes.isEmpty()) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      }
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      var asked = request.requestedExtensions();
      if (asked != null && asked.getExtension(Extension.subjectAlternativeName) != null) {
        builder.addExtension(asked.getExtension(Extension.subjectAlternativeName));
      }
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the certificate", e);
    }
    X509Certificate issued;
    try {
      issued =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(new JcaContentSignerBuilder(signatureAlgorithm()).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with the cluster CA", e);
    }
    var out = new StringWriter();
    try (var w = new JcaPEMWriter(out)) {
      w.writeObject(issued);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the certificate", e);
    }
    return out.toString();
  }

  private String signatureAlgorithm() {
    return key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }
}
