package dev.skiff.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;

/**
 * ServiceAccount issuer discovery: {@code /.well-known/openid-configuration} and {@code
 * /openid/v1/jwks}, so other parties can verify this cluster's ServiceAccount tokens.
 */
public final class OidcDiscovery {
  public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/openid/v1/jwks";

  private final ServiceAccountTokens tokens;

  public OidcDiscovery(ServiceAccountTokens tokens) {
    this.tokens = tokens;
  }

  public static boolean handles(String path) {
    return path.equals(CONFIGURATION_PATH) || path.equals(JWKS_PATH);
  }

  public ObjectNode document(String path) {
    if (path.equals(JWKS_PATH)) {
      return Json.MAPPER.valueToTree(tokens.jwks());
    }
    ObjectNode d = Json.object();
    d.put("issuer", tokens.issuer());
    d.put("jwks_uri", tokens.issuer() + JWKS_PATH);
    d.putArray("response_types_supported").add("id_token");
    d.putArray("subject_types_supported").add("public");
    d.putArray("id_token_signing_alg_values_supported").add("RS256");
    return d;
  }
}
