package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A node's certificates obtained as the kubelet's TLS bootstrap does: a new key, a
 * CertificateSigningRequest for {@code system:node:<name>} in {@code system:nodes} to one of the
 * kubelet signers, then waiting until the controller manager approves and signs it.
 */
final class CertificateRequests {
  static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
  static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";
  private static final Duration POLL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final Duration timeout;

  CertificateRequests(KubernetesClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** A key and the certificate issued for it. */
  record Issued(KeyPair key, X509Certificate certificate) {}

  /** The node's client certificate, to reach the API server as the node. */
  Issued client(String nodeName) {
    return request(
        nodeName,
        CLIENT_SIGNER,
        List.of("digital signature", "key encipherment", "client auth"),
        List.of(),
        List.of());
  }

  /** The kubelet's serving certificate, for these names and addresses. */
  Issued serving(String nodeName, List<String> dnsNames, List<InetAddress> ips) {
    return request(
        nodeName,
        SERVING_SIGNER,
        List.of("digital signature", "key encipherment", "server auth"),
        dnsNames,
        ips);
  }

  private Issued request(
      String nodeName,
      String signer,
      List<String> usages,
      List<String> dnsNames,
      List<InetAddress> ips) {
    KeyPair key = newKey();
    CertificateSigningRequest csr =
        new CertificateSigningRequestBuilder()
            .withNewMetadata()
            .withGenerateName("node-csr-")
            .endMetadata()
            .withNewSpec()
            .withSignerName(signer)
            .withUsages(usages)
            .withRequest(pkcs10(key, "system:node:" + nodeName, dnsNames, ips))
            .endSpec()
            .build();
    String name =
        client
            .certificates()
            .v1()
            .certificateSigningRequests()
            .resource(csr)
            .create()
            .getMetadata()
            .getName();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      CertificateSigningRequest current =
          client.certificates().v1().certificateSigningRequests().withName(name).get();
      if (current == null) {
        throw new UserError("certificate request " + name + " was deleted before it was signed");
      }
      if (current.getStatus() != null) {
        for (CertificateSigningRequestCondition c : current.getStatus().getConditions()) {
          if (c.getType().equals("Denied") || c.getType().equals("Failed")) {
            throw new UserError(
                "certificate request "
                    + name
                    + " was "
                    + c.getType().toLowerCase(java.util.Locale.ROOT)
                    + ": "
                    + c.getMessage());
          }
        }
        String cert = current.getStatus().getCertificate();
        if (cert != null && !cert.isEmpty()) {
          return new Issued(key, parse(cert));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new UserError(
            "certificate request "
                + name
                + " was not signed within "
                + timeout.toSeconds()
                + " s; is the server's controller manager running? (kubectl get csr "
                + name
                + ")");
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for certificate request " + name, e);
      }
    }
  }

  /** RSA, as the rest of Skiff's PKI, so every client reads the keys. */
  private static KeyPair newKey() {
    try {
      var gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no RSA key support in this JDK", e);
    }
  }

  private static String pkcs10(
      KeyPair key, String commonName, List<String> dnsNames, List<InetAddress> ips) {
    var subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "system:nodes")
            .addRDN(BCStyle.CN, commonName)
            .build();
    var builder = new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic());
    try {
      if (!dnsNames.isEmpty() || !ips.isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
        var extensions = new ExtensionsGenerator();
        extensions.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      var request =
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
      var out = new StringWriter();
      try (var w = new JcaPEMWriter(out)) {
        w.writeObject(request);
      }
      return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a certificate request", e);
    }
  }

  private static X509Certificate parse(String base64Pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    } catch (GeneralSecurityException e) {
      throw new UserError(
          "the server issued a certificate that cannot be read: " + e.getMessage(), e);
    }
  }
}
