package dev.skiff.apiserver.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.authz.Authorization;
import dev.skiff.apiserver.authz.Decision;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectAccessReview: the authorizer's
 * answer for the attributes in the spec, echoed back with a status as upstream does. Nothing is
 * stored.
 */
public final class AccessReviews {
  private final Authorization authz;

  public AccessReviews(Authorization authz) {
    this.authz = authz;
  }

  /** SubjectAccessReview (namespace "") or LocalSubjectAccessReview in {@code namespace}. */
  public ObjectNode subject(ResourceType t, ObjectNode review, String namespace) {
    JsonNode spec = review.path("spec");
    List<FieldError> errs = new ArrayList<>();
    checkAttributes(spec, errs);
    if (spec.path("user").asText().isEmpty() && spec.path("groups").isEmpty()) {
      errs.add(FieldError.required("spec.user", "at least one of user or group must be specified"));
    }
    if (t.kind().equals("LocalSubjectAccessReview")) {
      String specNs = spec.path("resourceAttributes").path("namespace").asText();
      if (spec.has("nonResourceAttributes")) {
        errs.add(
            FieldError.invalid(
                "spec.nonResourceAttributes",
                spec.get("nonResourceAttributes"),
                "disallowed on this kind of request"));
      } else if (!specNs.isEmpty() && !specNs.equals(namespace)) {
        errs.add(
            FieldError.invalid(
                "spec.resourceAttributes.namespace",
                spec.path("resourceAttributes").path("namespace"),
                "must match namespace \"" + namespace + "\""));
      } else if (spec.path("resourceAttributes").isObject()) {
        ((ObjectNode) spec.get("resourceAttributes")).put("namespace", namespace);
      }
    }
    if (!errs.isEmpty()) {
      throw ApiException.invalid(t, "", errs);
    }
    List<String> groups = new ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asText()));
    Map<String, List<String>> extra = new LinkedHashMap<>();
    spec.path("extra")
        .properties()
        .forEach(
            e -> {
              List<String> vs = new ArrayList<>();
              e.getValue().forEach(v -> vs.add(v.asText()));
              extra.put(e.getKey(), vs);
            });
    UserInfo user =
        new UserInfo(spec.path("user").asText(), spec.path("uid").asText(), groups, extra);
    return answer(review, attributes(spec, user));
  }

  /** SelfSubjectAccessReview: may the requester itself do what the spec says. */
  public ObjectNode self(ResourceType t, ObjectNode review, UserInfo requester) {
    List<FieldError> errs = new ArrayList<>();
    checkAttributes(review.path("spec"), errs);
    if (!errs.isEmpty()) {
      throw ApiException.invalid(t, "", errs);
    }
    return answer(review, attributes(review.path("spec"), requester));
  }

  private static void checkAttributes(JsonNode spec, List<FieldError> errs) {
    boolean res = spec.path("resourceAttributes").isObject();
    boolean nonRes = spec.path("nonResourceAttributes").isObject();
    if (res == nonRes) {
      errs.add(
          FieldError.invalid(
              "spec.resourceAttributes",
              spec.path("resourceAttributes"),
              res
                  ? "cannot be specified in combination with nonResourceAttributes"
                  : "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
  }

  static Attributes attributes(JsonNode spec, UserInfo user) {
    JsonNode r = spec.path("resourceAttributes");
    if (r.isObject()) {
      return Attributes.resource(
          user,
          r.path("verb").asText(),
          r.path("group").asText(),
          r.path("resource").asText(),
          r.path("subresource").asText(),
          r.path("namespace").asText(),
          r.path("name").asText());
    }
    JsonNode n = spec.path("nonResourceAttributes");
    return Attributes.nonResource(user, n.path("verb").asText(), n.path("path").asText());
  }

  private ObjectNode answer(ObjectNode review, Attributes a) {
    Decision d = authz.authorize(a);
    ObjectNode status = review.putObject("status");
    status.put("allowed", d == Decision.ALLOW);
    if (d == Decision.DENY) {
      status.put("denied", true);
    }
    return review;
  }
}
