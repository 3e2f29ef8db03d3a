package dev.skiff.apiserver.reviews;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.Authentication;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TokenReview (who does this token stand for, used by webhooks and kubelets) and SelfSubjectReview
 * (who am I, behind {@code kubectl auth whoami}).
 */
public final class IdentityReviews {
  private final Authentication authn;

  public IdentityReviews(Authentication authn) {
    this.authn = authn;
  }

  public ObjectNode tokenReview(ResourceType t, ObjectNode review) {
    String token = review.path("spec").path("token").asText();
    if (token.isEmpty()) {
      throw ApiException.invalid(t, "", List.of(FieldError.required("spec.token", "")));
    }
    List<String> wanted = new ArrayList<>();
    review.path("spec").path("audiences").forEach(a -> wanted.add(a.asText()));
    List<String> audiences = wanted.isEmpty() ? authn.apiAudiences() : wanted;
    Optional<UserInfo> user = authn.authenticateToken(token, audiences);
    ObjectNode status = review.putObject("status");
    status.put("authenticated", user.isPresent());
    if (user.isPresent()) {
      userInfo(status.putObject("user"), user.get());
      ArrayNode a = status.putArray("audiences");
      audiences.forEach(a::add);
    } else {
      status.putObject("user");
      status.put("error", "invalid bearer token");
    }
    return review;
  }

  public ObjectNode selfSubjectReview(ObjectNode review, UserInfo user) {
    userInfo(review.putObject("status").putObject("userInfo"), user);
    return review;
  }

  static void userInfo(ObjectNode out, UserInfo user) {
    out.put("username", user.name());
    if (!user.uid().isEmpty()) {
      out.put("uid", user.uid());
    }
    ArrayNode groups = out.putArray("groups");
    user.groups().forEach(groups::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = out.putObject("extra");
      user.extra().forEach((k, vs) -> vs.forEach(extra.withArray(k)::add));
    }
  }
}
