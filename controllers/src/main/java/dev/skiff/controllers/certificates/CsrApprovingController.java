package dev.skiff.controllers.certificates;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's csrapproving controller: approves the kubelet certificate requests {@link
 * KubeletApprovalPolicy} accepts, asking the API server with a SubjectAccessReview what the
 * requester may do. Skiff also approves a node's request for its own serving certificate (upstream
 * leaves those to an external approver; k3s signs them itself). Anything else waits for a human
 * with {@code kubectl certificate approve}.
 */
public final class CsrApprovingController extends QueueController {
  private static final Logger LOG = LoggerFactory.getLogger(CsrApprovingController.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<CertificateSigningRequest> requests;
  private final KubeletApprovalPolicy policy;

  public CsrApprovingController(ControllerContext context) {
    super("csrapproving");
    this.client = context.client();
    this.requests = context.informers().of(CertificateSigningRequest.class);
    SharedIndexInformer<Node> nodes = context.informers().of(Node.class);
    this.policy =
        new KubeletApprovalPolicy(
            this::allowed,
            name ->
                Optional.ofNullable(nodes.getIndexer().getByKey(name))
                    .map(CsrApprovingController::addresses)
                    .filter(a -> !a.isEmpty()));
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
    CertificateRequest request;
    try {
      request = CertificateRequest.parse(csr.getSpec().getRequest());
    } catch (CertificateRequest.Malformed e) {
      // The signer reports it; approval has nothing to judge.
      return;
    }
    Optional<String> message = policy.approval(csr.getSpec(), request);
    if (message.isEmpty()) {
      return;
    }
    client
        .certificates()
        .v1()
        .certificateSigningRequests()
        .withName(csr.getMetadata().getName())
        .approve(CsrConditions.condition("Approved", "AutoApproved", message.get()));
    LOG.info("approved {} ({})", csr.getMetadata().getName(), csr.getSpec().getUsername());
  }

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

  /**
   * A node's reported addresses; none until its kubelet has reported status, as if unregistered.
   */
  private static Set<String> addresses(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return Set.of();
    }
    return node.getStatus().getAddresses().stream()
        .map(NodeAddress::getAddress)
        .collect(Collectors.toSet());
  }
}
