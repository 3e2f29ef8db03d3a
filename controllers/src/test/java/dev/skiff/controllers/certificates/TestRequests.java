package dev.skiff.controllers.certificates;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, PKCS#10 requests and a throwaway CA for the certificate controllers' tests. */
final class TestRequests {
  private TestRequests() {}

  static KeyPair keyPair() throws Exception {
    var gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    return gen.generateKeyPair();
  }

  static SigningCa ca() throws Exception {
    KeyPair pair = keyPair();
    X500Name name = new X500Name("CN=test-ca");
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(Duration.ofDays(30))),
            name,
            pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    return new SigningCa(cert, pair.getPrivate(), SigningCa.DEFAULT_VALIDITY);
  }

  /** The base64 PEM of a request for {@code cn} in {@code orgs} with these SANs. */
  static String request(KeyPair key, String cn, List<String> orgs, List<String> ips)
      throws Exception {
    var subject = new X500NameBuilder(BCStyle.INSTANCE);
    orgs.forEach(o -> subject.addRDN(BCStyle.O, o));
    subject.addRDN(BCStyle.CN, cn);
    var builder = new JcaPKCS10CertificationRequestBuilder(subject.build(), key.getPublic());
    if (!ips.isEmpty()) {
      List<GeneralName> names = new ArrayList<>();
      for (String ip : ips) {
        names.add(
            new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
      }
      var ext = new ExtensionsGenerator();
      ext.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
    }
    var csr = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    var out = new StringWriter();
    try (var w = new JcaPEMWriter(out)) {
      w.writeObject(csr);
    }
    return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.US_ASCII));
  }
}
