package dev.skiff.controllers.certificates;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's csrapproving controller: approves kubelet client certificate requests whose requester
 * may, by a SubjectAccessReview, create {@code certificatesigningrequests/nodeclient} (a bootstrap
 * token's first certificate) or {@code certificatesigningrequests/selfnodeclient} (a node renewing
 * its own). Skiff also approves a node's request for its own serving certificate when its IPs are
 * the node's addresses (upstream leaves those to an external approver; k3s signs them itself).
 * Anything else waits for a human with {@code kubectl certificate approve}.
 */
public final class CsrApprovingController extends QueueController {
  private static final Logger LOG = LoggerFactory.getLogger(CsrApprovingController.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<CertificateSigningRequest> requests;
  private final SharedIndexInformer<Node> nodes;

  public CsrApprovingController(ControllerContext context) {
    super("csrapproving");
    this.client = context.client();
    this.requests = context.informers().of(CertificateSigningRequest.class);
    this.nodes = context.informers().of(Node.class);
    requests.addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), r -> {}));
  }

  @Override
  protected void reconcile(String key) {
    CertificateSigningRequest csr = requests.getIndexer().getByKey(key);
    if (csr == null
        || CsrConditions.has(csr, "Approved")
        || CsrConditions.has(csr, "Denied")
        || CsrConditions.issued(csr)) {
      return;
    }
    CertificateSigningRequestSpec spec = csr.getSpec();
    List<String> usages = spec.getUsages() == null ? List.of() : spec.getUsages();
    CertificateRequest request;
    try {
      request = CertificateRequest.parse(spec.getRequest());
    } catch (CertificateRequest.Malformed e) {
      // The signer reports it; approval has nothing to judge.
      return;
    }
    String signer = spec.getSignerName();
    if (KubeletCertificates.CLIENT_SIGNER.equals(signer)
        && KubeletCertificates.clientProblem(request, usages).isEmpty()) {
      if (request.commonName().equals(spec.getUsername()) && allowed(spec, "selfnodeclient")) {
        approve(csr, "Auto approving self kubelet client certificate after SubjectAccessReview.");
      } else if (allowed(spec, "nodeclient")) {
        approve(csr, "Auto approving kubelet client certificate after SubjectAccessReview.");
      }
    } else if (KubeletCertificates.SERVING_SIGNER.equals(signer)
        && KubeletCertificates.servingProblem(request, usages).isEmpty()
        && request.commonName().equals(spec.getUsername())
        && spec.getGroups() != null
        && spec.getGroups().contains(KubeletCertificates.NODES_GROUP)
        && ipsAreNodes(request)) {
      approve(csr, "Auto approving self kubelet serving certificate.");
    }
  }

  /** Whether the requester may create the CSR subresource that stands for this kind of request. */
  private boolean allowed(CertificateSigningRequestSpec spec, String subresource) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(spec.getUsername())
            .withUid(spec.getUid())
            .withGroups(spec.getGroups())
            .withExtra(spec.getExtra())
            .withNewResourceAttributes()
            .withGroup("certificates.k8s.io")
            .withResource("certificatesigningrequests")
            .withSubresource(subresource)
            .withVerb("create")
            .endResourceAttributes()
            .endSpec()
            .build();
    SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  /** A registered node may only name its own addresses; one not yet registered names its own. */
  private boolean ipsAreNodes(CertificateRequest request) {
    Node node = nodes.getIndexer().getByKey(KubeletCertificates.nodeName(request));
    if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return true;
    }
    Set<String> known = new HashSet<>();
    for (NodeAddress a : node.getStatus().getAddresses()) {
      known.add(a.getAddress());
    }
    for (InetAddress ip : request.ips()) {
      if (!known.contains(ip.getHostAddress())) {
        LOG.info(
            "not approving serving certificate for {}: {} is not one of its addresses",
            request.commonName(),
            ip.getHostAddress());
        return false;
      }
    }
    return true;
  }

  private void approve(CertificateSigningRequest csr, String message) {
    CertificateSigningRequestCondition approved =
        CsrConditions.condition("Approved", "AutoApproved", message);
    client
        .certificates()
        .v1()
        .certificateSigningRequests()
        .withName(csr.getMetadata().getName())
        .approve(approved);
    LOG.info("approved {} ({})", csr.getMetadata().getName(), csr.getSpec().getUsername());
  }
}
