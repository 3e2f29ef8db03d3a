package dev.skiff.controllers.certificates;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The PKCS#10 request in a CertificateSigningRequest's {@code spec.request}, with the parts the
 * approver and signer judge: subject common name and organizations, and the subject alternative
 * names asked for.
 *
 * @param otherNames SANs other than DNS names and IPs (emails, URIs), which kubelets never need
 */
public record CertificateRequest(
    PKCS10CertificationRequest pkcs10,
    String commonName,
    List<String> organizations,
    List<String> dnsNames,
    List<InetAddress> ips,
    int otherNames) {

  /** A request that is not a signed PEM CERTIFICATE REQUEST. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** Parses the PEM bytes of {@code spec.request} (base64 in the JSON) and checks its signature. */
  public static CertificateRequest parse(String requestBase64) throws Malformed {
    String pem;
    try {
      pem = new String(Base64.getDecoder().decode(requestBase64), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw new Malformed("spec.request is not base64");
    }
    PKCS10CertificationRequest csr;
    try (var parser = new PEMParser(new StringReader(pem))) {
      if (!(parser.readObject() instanceof PKCS10CertificationRequest r)) {
        throw new Malformed("PEM block type must be CERTIFICATE REQUEST");
      }
      csr = r;
    } catch (IOException e) {
      throw new Malformed("cannot read the certificate request: " + e.getMessage());
    }
    try {
      if (!csr.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        throw new Malformed("the certificate request's signature does not verify");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new Malformed("cannot verify the certificate request: " + e.getMessage());
    }
    X500Name subject = csr.getSubject();
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    int other = 0;
    GeneralNames sans = requestedSans(csr);
    if (sans != null) {
      for (GeneralName n : sans.getNames()) {
        switch (n.getTagNo()) {
          case GeneralName.dNSName -> dns.add(n.getName().toString());
          case GeneralName.iPAddress -> ips.add(address(n));
          default -> other++;
        }
      }
    }
    return new CertificateRequest(
        csr, first(subject, BCStyle.CN), all(subject, BCStyle.O), dns, ips, other);
  }

  /** The extensions the request asks for (subjectAltName and the like), or null. */
  public Extensions requestedExtensions() {
    return extensions(pkcs10);
  }

  private static Extensions extensions(PKCS10CertificationRequest csr) {
    for (var attr : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      if (attr.getAttrValues().size() > 0) {
        return Extensions.getInstance(attr.getAttrValues().getObjectAt(0));
      }
    }
    return null;
  }

  private static GeneralNames requestedSans(PKCS10CertificationRequest csr) {
    Extensions ext = extensions(csr);
    return ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
  }

  private static InetAddress address(GeneralName n) throws Malformed {
    try {
      return InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets());
    } catch (UnknownHostException e) {
      throw new Malformed("the certificate request has an IP address of a wrong length");
    }
  }

  private static String first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  private static List<String> all(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs(type)) {
      out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
    }
    return out;
  }
}
