package dev.skiff.apiserver.auth;

import java.nio.file.Path;
import java.util.List;

/**
 * How the API server authenticates and authorizes; absent (null in {@code ApiServerConfig}) the
 * server trusts every request, which only in-process tests do.
 *
 * @param serviceAccountKeyFile PKCS#8 PEM RSA key signing ServiceAccount tokens, made if missing
 * @param tokenAuthFile optional static token CSV ({@code --token-auth-file}); null for none
 * @param issuer the {@code iss} of issued ServiceAccount tokens and of the OIDC discovery document
 * @param apiAudiences audiences a token must carry to be accepted by this server
 */
public record AuthOptions(
    Path serviceAccountKeyFile, Path tokenAuthFile, String issuer, List<String> apiAudiences) {
  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  public AuthOptions {
    apiAudiences = List.copyOf(apiAudiences);
  }

  /** The defaults for a data dir: key {@code <data-dir>/tls/service.key}, upstream's issuer. */
  public static AuthOptions forDataDir(Path dataDir) {
    return new AuthOptions(
        dataDir.resolve("tls").resolve("service.key"),
        null,
        DEFAULT_ISSUER,
        List.of(DEFAULT_ISSUER));
  }

  public AuthOptions withTokenAuthFile(Path file) {
    return new AuthOptions(serviceAccountKeyFile, file, issuer, apiAudiences);
  }
}
