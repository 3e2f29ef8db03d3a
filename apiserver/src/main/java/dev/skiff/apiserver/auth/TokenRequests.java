package dev.skiff.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.registry.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code serviceaccounts/token} subresource (TokenRequest): a bound token for an existing
 * ServiceAccount, for the requested audiences and lifetime, optionally bound to a Pod or Secret.
 */
public final class TokenRequests {
  /** Upstream's floor and default for {@code spec.expirationSeconds}. */
  static final long MIN_SECONDS = 600;

  static final long DEFAULT_SECONDS = 3600;
  private static final Set<String> BINDABLE = Set.of("Pod", "Secret");

  private final ServiceAccountTokens tokens;
  private final ResourceStore resources;
  private final ResourceRegistry registry;
  private final Clock clock;

  public TokenRequests(
      ServiceAccountTokens tokens,
      ResourceStore resources,
      ResourceRegistry registry,
      Clock clock) {
    this.tokens = tokens;
    this.resources = resources;
    this.registry = registry;
    this.clock = clock;
  }

  /** Fills {@code status} of {@code request} for the ServiceAccount {@code ns/name}. */
  public ObjectNode create(String ns, String name, ObjectNode request) {
    ResourceType serviceAccounts = registry.find("", "v1", "serviceaccounts").orElseThrow();
    ResourceType trType =
        registry.findByKind("authentication.k8s.io", "v1", "TokenRequest").orElse(serviceAccounts);
    JsonNode sa = resources.get(serviceAccounts, ns, name);
    ObjectNode spec = request.withObjectProperty("spec");
    long seconds = spec.path("expirationSeconds").asLong(DEFAULT_SECONDS);
    List<FieldError> errs = new ArrayList<>();
    if (seconds < MIN_SECONDS) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              seconds,
              "may not specify a duration less than 10 minutes"));
    }
    if (seconds > (1L << 32)) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              seconds,
              "may not specify a duration larger than 2^32 seconds"));
    }
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asText()));
    if (audiences.isEmpty()) {
      audiences.addAll(tokens.audiences());
    }
    ServiceAccountTokens.BoundObject bound = null;
    JsonNode ref = spec.path("boundObjectRef");
    if (ref.isObject()) {
      String kind = ref.path("kind").asText();
      if (!BINDABLE.contains(kind)) {
        errs.add(
            FieldError.notSupported("spec.boundObjectRef.kind", kind, List.of("Pod", "Secret")));
      } else {
        String plural = kind.equals("Pod") ? "pods" : "secrets";
        ResourceType t = registry.find("", "v1", plural).orElseThrow();
        JsonNode obj = resources.get(t, ns, ref.path("name").asText());
        String uid = obj.path("metadata").path("uid").asText();
        if (!ref.path("uid").asText(uid).equals(uid)) {
          throw ApiException.conflict(
              t,
              ref.path("name").asText(),
              "the UID in the bound object reference ("
                  + ref.path("uid").asText()
                  + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        bound = new ServiceAccountTokens.BoundObject(kind, ref.path("name").asText(), uid);
      }
    }
    if (!errs.isEmpty()) {
      throw ApiException.invalid(trType, name, errs);
    }
    Duration ttl = Duration.ofSeconds(seconds);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String token = tokens.issue(sa, audiences, ttl, bound, now);
    spec.put("expirationSeconds", seconds);
    var auds = spec.putArray("audiences");
    audiences.forEach(auds::add);
    request.put("apiVersion", "authentication.k8s.io/v1");
    request.put("kind", "TokenRequest");
    ObjectNode meta = request.withObjectProperty("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    meta.put("creationTimestamp", now.toString());
    ObjectNode status = request.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", now.plus(ttl).toString());
    return request;
  }
}
