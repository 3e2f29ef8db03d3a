package dev.skiff.apiserver.reviews;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.auth.TokenRequests;
import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;

/**
 * Serves the create-only review resources of {@code authentication.k8s.io} and {@code
 * authorization.k8s.io} and the TokenRequest subresource, once the request itself is authorized.
 * Reviews are answered, never stored.
 */
public final class ReviewEndpoints {
  private final ResourceRegistry registry;
  private final AccessReviews access;
  private final RulesReview rules;
  private final IdentityReviews identity;
  private final TokenRequests tokenRequests;

  public ReviewEndpoints(
      ResourceRegistry registry,
      AccessReviews access,
      RulesReview rules,
      IdentityReviews identity,
      TokenRequests tokenRequests) {
    this.registry = registry;
    this.access = access;
    this.rules = rules;
    this.identity = identity;
    this.tokenRequests = tokenRequests;
  }

  /** Answers the request when it is one of ours; false to let the generic handlers serve it. */
  public boolean handle(Exchange ex, Attributes a, String version) {
    if (!a.resourceRequest()) {
      return false;
    }
    if (a.group().isEmpty()
        && a.resource().equals("serviceaccounts")
        && a.subresource().equals("token")) {
      if (!a.verb().equals("create") || a.name().isEmpty() || a.namespace().isEmpty()) {
        throw ApiException.methodNotAllowed();
      }
      ex.send(201, tokenRequests.create(a.namespace(), a.name(), ex.bodyObject()));
      return true;
    }
    boolean authn = a.group().equals("authentication.k8s.io");
    if (!authn && !a.group().equals("authorization.k8s.io")) {
      return false;
    }
    ResourceType t = registry.find(a.group(), version, a.resource()).orElse(null);
    if (t == null || !a.subresource().isEmpty() || !a.name().isEmpty()) {
      return false;
    }
    if (!a.verb().equals("create")) {
      throw ApiException.methodNotAllowed();
    }
    ObjectNode review = ex.bodyObject();
    review.put("apiVersion", t.groupVersion());
    review.put("kind", t.kind());
    ObjectNode answer =
        switch (t.kind()) {
          case "TokenReview" -> identity.tokenReview(t, review);
          case "SelfSubjectReview" -> identity.selfSubjectReview(review, a.user());
          case "SubjectAccessReview" -> access.subject(t, review, "");
          case "LocalSubjectAccessReview" -> access.subject(t, review, a.namespace());
          case "SelfSubjectAccessReview" -> access.self(t, review, a.user());
          case "SelfSubjectRulesReview" -> rules.review(t, review, a.user());
          default -> null;
        };
    if (answer == null) {
      return false;
    }
    if (!answer.has("metadata")) {
      answer.putObject("metadata");
    }
    ex.send(201, answer);
    return true;
  }
}
