package dev.skiff.apiserver.auth;

import java.util.Optional;

/**
 * Identifies the user a bearer token stands for; empty when the token is not of this kind or not
 * valid, so the next authenticator may try it.
 */
@FunctionalInterface
public interface TokenAuthenticator {
  Optional<UserInfo> authenticate(String token);
}
