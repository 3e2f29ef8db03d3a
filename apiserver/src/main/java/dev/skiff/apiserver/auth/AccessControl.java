package dev.skiff.apiserver.auth;

import dev.skiff.api.ResourceRegistry;
import dev.skiff.apiserver.authz.Authorization;
import dev.skiff.apiserver.authz.ClusterRoleAggregator;
import dev.skiff.apiserver.authz.EscalationCheck;
import dev.skiff.apiserver.authz.NodeAuthorizer;
import dev.skiff.apiserver.authz.ObjectCache;
import dev.skiff.apiserver.authz.PolicyReconciler;
import dev.skiff.apiserver.authz.RbacAuthorizer;
import dev.skiff.apiserver.authz.SignerApproval;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.reviews.AccessReviews;
import dev.skiff.apiserver.reviews.IdentityReviews;
import dev.skiff.apiserver.reviews.ReviewEndpoints;
import dev.skiff.apiserver.reviews.RulesReview;
import dev.skiff.apiserver.watch.WatchCacheSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * Authentication, authorization and their endpoints, assembled for one API server: {@link #wrap}
 * puts the access checks in front of its handlers, {@link #start} reconciles the bootstrap RBAC
 * policy and starts ClusterRole aggregation.
 */
public final class AccessControl implements AutoCloseable {
  private final ResourceRegistry registry;
  private final ResourceStore resources;
  private final Authentication authentication;
  private final Authorization authorization;
  private final ReviewEndpoints reviews;
  private final OidcDiscovery oidc;
  private final ClusterRoleAggregator aggregator;
  private final EscalationCheck escalation;
  private final SignerApproval signerApproval;

  public AccessControl(
      AuthOptions options,
      ResourceRegistry registry,
      ResourceStore resources,
      WatchCacheSet caches) {
    this.registry = registry;
    this.resources = resources;
    Clock clock = resources.clock();
    ObjectCache cache = new ObjectCache(registry, caches);
    ServiceAccountTokens serviceAccounts;
    List<TokenAuthenticator> tokens = new ArrayList<>();
    try {
      serviceAccounts =
          new ServiceAccountTokens(
              ServiceAccountKey.loadOrCreate(options.serviceAccountKeyFile()),
              options.issuer(),
              options.apiAudiences(),
              cache,
              clock);
      if (options.tokenAuthFile() != null) {
        tokens.add(StaticTokenFile.load(options.tokenAuthFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tokens.add(new BootstrapTokens(cache, clock));
    this.authentication = new Authentication(tokens, serviceAccounts);
    RbacAuthorizer rbac = new RbacAuthorizer(cache);
    this.authorization = new Authorization(List.of(new NodeAuthorizer(cache), rbac));
    this.escalation = new EscalationCheck(authorization, cache);
    this.signerApproval = new SignerApproval(authorization, cache);
    this.reviews =
        new ReviewEndpoints(
            registry,
            new AccessReviews(authorization),
            new RulesReview(rbac),
            new IdentityReviews(authentication),
            new TokenRequests(serviceAccounts, resources, registry, clock));
    this.oidc = new OidcDiscovery(serviceAccounts);
    this.aggregator =
        new ClusterRoleAggregator(
            resources,
            cache,
            caches.cache(cache.type("rbac.authorization.k8s.io", "v1", "clusterroles")));
  }

  public Handler wrap(Handler next) {
    return new AccessHandler(
        authentication, authorization, escalation, signerApproval, reviews, oidc, next);
  }

  /** Creates or repairs the bootstrap roles and bindings and starts aggregating ClusterRoles. */
  public void start() {
    PolicyReconciler.run(resources, registry);
    aggregator.start();
    aggregator.reconcileAll();
  }

  public Authentication authentication() {
    return authentication;
  }

  public Authorization authorization() {
    return authorization;
  }

  @Override
  public void close() {
    aggregator.close();
  }
}
