package dev.skiff.runtime;

/** Registry credentials, as from an imagePullSecret (CRI {@code AuthConfig}). */
public record AuthConfig(
    String username,
    String password,
    String auth,
    String serverAddress,
    String identityToken,
    String registryToken) {
  public static AuthConfig basic(String username, String password) {
    return new AuthConfig(username, password, null, null, null, null);
  }
}
