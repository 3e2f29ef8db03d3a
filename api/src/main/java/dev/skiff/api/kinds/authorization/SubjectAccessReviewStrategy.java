package dev.skiff.api.kinds.authorization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.kinds.ReviewStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * SubjectAccessReview, SelfSubjectAccessReview and LocalSubjectAccessReview: exactly one of
 * resource or non-resource attributes; a user or group to ask about (except for "self"); a local
 * review's namespace is its own.
 */
public final class SubjectAccessReviewStrategy extends ReviewStrategy {

  private enum Variant {
    SUBJECT,
    SELF,
    LOCAL
  }

  private final Variant variant;

  private SubjectAccessReviewStrategy(Variant variant) {
    this.variant = variant;
  }

  public static SubjectAccessReviewStrategy subject() {
    return new SubjectAccessReviewStrategy(Variant.SUBJECT);
  }

  public static SubjectAccessReviewStrategy self() {
    return new SubjectAccessReviewStrategy(Variant.SELF);
  }

  public static SubjectAccessReviewStrategy local() {
    return new SubjectAccessReviewStrategy(Variant.LOCAL);
  }

  @Override
  public List<FieldError> validate(ObjectNode review) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = review.path("spec");
    boolean resource = spec.path("resourceAttributes").isObject();
    boolean nonResource = spec.path("nonResourceAttributes").isObject();
    if (resource && nonResource) {
      errs.add(
          FieldError.invalid(
              "spec.nonResourceAttributes",
              new dev.skiff.api.validation.GoSyntax(spec.path("nonResourceAttributes").toString()),
              "cannot be specified in combination with resourceAttributes"));
    } else if (!resource && !nonResource) {
      // Upstream prints the missing attributes as the string "null".
      errs.add(
          FieldError.invalid(
              "spec.resourceAttributes",
              "null",
              "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    if (variant != Variant.SELF
        && spec.path("user").asText("").isEmpty()
        && spec.path("groups").isEmpty()) {
      errs.add(
          FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
    }
    if (variant == Variant.LOCAL) {
      String own = review.path("metadata").path("namespace").asText("");
      String asked = spec.path("resourceAttributes").path("namespace").asText("");
      if (own.isEmpty()) {
        errs.add(FieldError.required("metadata.namespace", ""));
      } else if (resource && !asked.isEmpty() && !asked.equals(own)) {
        errs.add(
            FieldError.invalid(
                "spec.resourceAttributes.namespace", asked, "must match metadata.namespace"));
      }
      if (nonResource) {
        errs.add(
            FieldError.invalid(
                "spec.nonResourceAttributes",
                new dev.skiff.api.validation.GoSyntax(
                    spec.path("nonResourceAttributes").toString()),
                "disallowed on this kind of request"));
      }
    }
    return errs;
  }
}
