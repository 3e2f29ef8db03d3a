package dev.skiff.controllers.certificates;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the two kubelet signers accept, as upstream validates them: a node's client certificate
 * ({@code CN=system:node:<name>, O=system:nodes}, client auth, no alternative names) and a node's
 * serving certificate (same subject, server auth, at least one DNS name or IP).
 */
public final class KubeletCertificates {
  public static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
  public static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";
  public static final String API_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
  public static final String NODE_PREFIX = "system:node:";
  public static final String NODES_GROUP = "system:nodes";

  private static final Set<String> CLIENT_USAGES =
      Set.of("digital signature", "key encipherment", "client auth");
  private static final Set<String> SERVING_USAGES =
      Set.of("digital signature", "key encipherment", "server auth");

  private KubeletCertificates() {}

  /** Why the request is not a node client certificate request, or empty when it is one. */
  public static Optional<String> clientProblem(CertificateRequest r, List<String> usages) {
    Optional<String> subject = subjectProblem(r);
    if (subject.isPresent()) {
      return subject;
    }
    if (!r.dnsNames().isEmpty() || !r.ips().isEmpty() || r.otherNames() > 0) {
      return Optional.of("subject alternative names are not allowed");
    }
    return usageProblem(usages, CLIENT_USAGES, "client auth");
  }

  /** Why the request is not a node serving certificate request, or empty when it is one. */
  public static Optional<String> servingProblem(CertificateRequest r, List<String> usages) {
    Optional<String> subject = subjectProblem(r);
    if (subject.isPresent()) {
      return subject;
    }
    if (r.otherNames() > 0) {
      return Optional.of("email and URI subject alternative names are not allowed");
    }
    if (r.dnsNames().isEmpty() && r.ips().isEmpty()) {
      return Optional.of("DNS or IP subjectAltName is required");
    }
    return usageProblem(usages, SERVING_USAGES, "server auth");
  }

  /** The node a request's common name names. */
  public static String nodeName(CertificateRequest r) {
    return r.commonName().substring(NODE_PREFIX.length());
  }

  private static Optional<String> subjectProblem(CertificateRequest r) {
    if (!r.organizations().equals(List.of(NODES_GROUP))) {
      return Optional.of("subject organization is not system:nodes");
    }
    if (!r.commonName().startsWith(NODE_PREFIX)
        || r.commonName().length() == NODE_PREFIX.length()) {
      return Optional.of("subject common name does not begin with system:node:");
    }
    return Optional.empty();
  }

  private static Optional<String> usageProblem(
      List<String> usages, Set<String> allowed, String required) {
    for (String u : usages) {
      if (!allowed.contains(u)) {
        return Optional.of("usage not allowed: " + u);
      }
    }
    if (!usages.contains(required)) {
      return Optional.of("missing required usage: " + required);
    }
    return Optional.empty();
  }
}
