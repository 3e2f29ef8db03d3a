package dev.skiff.apiserver.auth;

import java.util.List;
import java.util.Map;

/** The requesting user, as upstream's user.Info: name, uid, groups and extra attributes. */
public record UserInfo(
    String name, String uid, List<String> groups, Map<String, List<String>> extra) {
  public static final String AUTHENTICATED = "system:authenticated";

  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", List.of("system:unauthenticated"));

  public UserInfo {
    uid = uid == null ? "" : uid;
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  public UserInfo(String name, List<String> groups) {
    this(name, "", groups, Map.of());
  }

  public boolean anonymous() {
    return name.equals(ANONYMOUS.name());
  }
}
