package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.errors.ApiException;
import java.util.List;

/**
 * metav1.DeleteOptions from the body and query of a delete request.
 *
 * @param gracePeriodSeconds null for the kind's default
 * @param propagationPolicy Orphan, Background, Foreground, or null for the default
 */
public record DeleteOptions(
    Long gracePeriodSeconds,
    String propagationPolicy,
    String preconditionUid,
    String preconditionResourceVersion,
    boolean dryRun) {

  public static final DeleteOptions BACKGROUND =
      new DeleteOptions(null, "Background", null, null, false);

  private static final List<String> POLICIES = List.of("Orphan", "Background", "Foreground");

  /** Merges query parameters over a (possibly empty) DeleteOptions body. */
  public static DeleteOptions from(
      JsonNode body, java.util.function.Function<String, String> query) {
    Long grace = null;
    if (body.hasNonNull("gracePeriodSeconds")) {
      grace = body.get("gracePeriodSeconds").asLong();
    }
    String q = query.apply("gracePeriodSeconds");
    if (!q.isEmpty()) {
      try {
        grace = Long.parseLong(q);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid gracePeriodSeconds: " + q);
      }
    }
    String policy =
        body.hasNonNull("propagationPolicy") ? body.get("propagationPolicy").asText() : null;
    if (!query.apply("propagationPolicy").isEmpty()) {
      policy = query.apply("propagationPolicy");
    }
    JsonNode orphan = body.get("orphanDependents");
    String orphanQ = query.apply("orphanDependents");
    if (policy == null && ((orphan != null && orphan.isBoolean()) || !orphanQ.isEmpty())) {
      boolean o = orphanQ.isEmpty() ? orphan.asBoolean() : Boolean.parseBoolean(orphanQ);
      policy = o ? "Orphan" : "Background";
    }
    if (policy != null && !POLICIES.contains(policy)) {
      throw ApiException.badRequest(
          "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \""
              + policy
              + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
    }
    if (grace != null && grace < 0) {
      grace = 1L;
    }
    JsonNode pre = body.path("preconditions");
    String uid = pre.hasNonNull("uid") ? pre.get("uid").asText() : null;
    String rv = pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null;
    boolean dry = false;
    for (JsonNode d : body.path("dryRun")) {
      dry |= d.asText().equals("All");
    }
    dry |= query.apply("dryRun").equals("All");
    return new DeleteOptions(grace, policy, uid, rv, dry);
  }
}
