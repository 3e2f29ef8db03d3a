package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.auth.UserInfo;
import java.util.Optional;

/**
 * The user whose request is being served, for the plugins that decide by identity (node
 * restriction). The API server binds it around each request; writes the server makes with no
 * request in flight see none.
 */
public final class RequestUser {
  private static final ScopedValue<UserInfo> CURRENT = ScopedValue.newInstance();

  private RequestUser() {}

  /** Runs {@code request} with {@code user} as the requesting user. */
  public static void serve(UserInfo user, Runnable request) {
    ScopedValue.where(CURRENT, user).run(request);
  }

  public static Optional<UserInfo> current() {
    return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
  }
}
