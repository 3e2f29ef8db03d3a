package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.UserInfo;

/**
 * CertificateSigningRequests record who asked: as upstream's strategy does on create, the server
 * overwrites {@code spec.username/uid/groups/extra} with the requesting user, so approvers can
 * trust them.
 */
final class CertificateRequests {
  private CertificateRequests() {}

  static boolean isRequest(ResourceType t) {
    return t.group().equals("certificates.k8s.io") && t.kind().equals("CertificateSigningRequest");
  }

  static void stampRequester(ObjectNode csr, UserInfo user) {
    ObjectNode spec = csr.withObjectProperty("spec");
    spec.remove(java.util.List.of("username", "uid", "groups", "extra"));
    if (user == null) {
      return;
    }
    spec.put("username", user.name());
    if (!user.uid().isEmpty()) {
      spec.put("uid", user.uid());
    }
    var groups = spec.putArray("groups");
    user.groups().forEach(groups::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = spec.putObject("extra");
      user.extra().forEach((k, values) -> values.forEach(extra.withArrayProperty(k)::add));
    }
  }
}
