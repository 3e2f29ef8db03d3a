package dev.skiff.apiserver.auth;

import java.util.List;

/** The requesting user, as upstream's user.Info: name and groups. */
public record UserInfo(String name, List<String> groups) {
  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", List.of("system:unauthenticated"));

  public UserInfo {
    groups = List.copyOf(groups);
  }
}
