package dev.skiff.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which kubelet certificate requests are approved without a human, and why. Client certificates as
 * upstream's csrapproving: the requester must be allowed to create {@code
 * certificatesigningrequests/selfnodeclient} (a node renewing its own) or {@code
 * certificatesigningrequests/nodeclient} (a bootstrap token). Serving certificates only for the
 * requesting node itself, and only for addresses it has registered, once it has.
 */
final class KubeletApprovalPolicy {
  /** Whether the requester of {@code spec} may create the CSR subresource {@code subresource}. */
  @FunctionalInterface
  interface AccessCheck {
    boolean allowed(CertificateSigningRequestSpec spec, String subresource);
  }

  /** The addresses a registered node reports; empty when it has not registered yet. */
  @FunctionalInterface
  interface NodeAddresses {
    Optional<Set<String>> of(String nodeName);
  }

  private final AccessCheck access;
  private final NodeAddresses nodes;

  KubeletApprovalPolicy(AccessCheck access, NodeAddresses nodes) {
    this.access = access;
    this.nodes = nodes;
  }

  /** The approval message for this request, or empty when it is not for automatic approval. */
  Optional<String> approval(CertificateSigningRequestSpec spec, CertificateRequest request) {
    List<String> usages = spec.getUsages() == null ? List.of() : spec.getUsages();
    String signer = spec.getSignerName();
    if (KubeletCertificates.CLIENT_SIGNER.equals(signer)) {
      if (KubeletCertificates.clientProblem(request, usages).isPresent()) {
        return Optional.empty();
      }
      if (request.commonName().equals(spec.getUsername())
          && access.allowed(spec, "selfnodeclient")) {
        return Optional.of(
            "Auto approving self kubelet client certificate after SubjectAccessReview.");
      }
      if (access.allowed(spec, "nodeclient")) {
        return Optional.of("Auto approving kubelet client certificate after SubjectAccessReview.");
      }
      return Optional.empty();
    }
    if (KubeletCertificates.SERVING_SIGNER.equals(signer)
        && KubeletCertificates.servingProblem(request, usages).isEmpty()
        && request.commonName().equals(spec.getUsername())
        && spec.getGroups() != null
        && spec.getGroups().contains(KubeletCertificates.NODES_GROUP)
        && addressesAreTheNodes(request)) {
      return Optional.of("Auto approving self kubelet serving certificate.");
    }
    return Optional.empty();
  }

  private boolean addressesAreTheNodes(CertificateRequest request) {
    Optional<Set<String>> known = nodes.of(KubeletCertificates.nodeName(request));
    if (known.isEmpty()) {
      return true;
    }
    for (InetAddress ip : request.ips()) {
      if (!known.get().contains(ip.getHostAddress())) {
        return false;
      }
    }
    return true;
  }
}
