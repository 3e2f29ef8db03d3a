package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.errors.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's CertificateApproval admission: approving or denying a CertificateSigningRequest (a
 * write to its {@code approval} subresource) needs the {@code approve} verb on the {@code signers}
 * resource named by the request's signer, or by {@code <signer domain>/*}.
 */
public final class SignerApproval {
  private static final String GROUP = "certificates.k8s.io";
  private static final String RESOURCE = "certificatesigningrequests";
  private static final Set<String> WRITES = Set.of("update", "patch");

  private final Authorization authz;
  private final ObjectCache cache;

  public SignerApproval(Authorization authz, ObjectCache cache) {
    this.authz = authz;
    this.cache = cache;
  }

  /** Whether this request approves or denies a certificate request, and so needs {@link #check}. */
  public static boolean applies(Attributes a) {
    return a.resourceRequest()
        && a.group().equals(GROUP)
        && a.resource().equals(RESOURCE)
        && a.subresource().equals("approval")
        && WRITES.contains(a.verb());
  }

  /**
   * Throws 403 unless the user may approve for the request's signer, and 404 for a request the
   * cache does not hold, rather than letting it through unjudged.
   */
  public void check(Attributes a) {
    Optional<String> signer =
        cache
            .get(GROUP, RESOURCE, "", a.name())
            .map(csr -> csr.path("spec").path("signerName").asText(""));
    if (signer.isEmpty()) {
      throw ApiException.notFound(cache.type(GROUP, "v1", RESOURCE), a.name());
    }
    String name = signer.get();
    if (mayApprove(a.user(), name)
        || (name.contains("/")
            && mayApprove(a.user(), name.substring(0, name.indexOf('/')) + "/*"))) {
      return;
    }
    throw new ApiException(
        403,
        "Forbidden",
        RESOURCE
            + "."
            + GROUP
            + " \""
            + a.name()
            + "\" is forbidden: user not permitted to approve requests with signerName \""
            + name
            + "\"",
        a.name(),
        GROUP,
        RESOURCE,
        List.of(),
        0);
  }

  private boolean mayApprove(UserInfo user, String signer) {
    return authz.allowed(Attributes.resource(user, "approve", GROUP, "signers", "", "", signer));
  }
}
