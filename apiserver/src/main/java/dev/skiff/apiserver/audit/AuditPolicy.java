package dev.skiff.apiserver.audit;

import dev.skiff.apiserver.http.RequestInfo;
import java.util.Set;

/**
 * Skiff's audit policy, as an upstream {@code audit.k8s.io/v1} Policy would say it: writes are
 * logged at RequestResponse, with their bodies, except those whose bodies carry credentials
 * (Secrets, TokenRequests, TokenReviews), and everything else at Metadata. Streaming subresources
 * (exec, attach, port-forward, proxy) are logged at Metadata, since their bodies are streams.
 */
public final class AuditPolicy {
  /** Upstream's audit levels that Skiff uses. */
  public enum Level {
    METADATA("Metadata"),
    REQUEST_RESPONSE("RequestResponse");

    private final String wire;

    Level(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");
  private static final Set<String> STREAMS = Set.of("exec", "attach", "portforward", "proxy");

  private AuditPolicy() {}

  /** The level of a request; {@code info} is null for non-resource paths. */
  public static Level level(RequestInfo info) {
    if (info == null || !WRITES.contains(info.verb())) {
      return Level.METADATA;
    }
    if (STREAMS.contains(info.subresource())) {
      return Level.METADATA;
    }
    boolean core = info.group().isEmpty();
    boolean credentials =
        (core && info.resource().equals("secrets"))
            || (core
                && info.resource().equals("serviceaccounts")
                && info.subresource().equals("token"))
            || (info.group().equals("authentication.k8s.io")
                && info.resource().equals("tokenreviews"));
    return credentials ? Level.METADATA : Level.REQUEST_RESPONSE;
  }
}
