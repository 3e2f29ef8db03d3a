package dev.skiff.runtime.oci;

import dev.skiff.runtime.ContainerRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves a user as Docker does: {@code name|uid[:group|gid]} against the image's {@code
 * /etc/passwd} and {@code /etc/group} contents; a numeric uid need not exist there.
 */
public final class UserResolver {
  private UserResolver() {}

  /**
   * @param user the image USER or {@code runAsUsername}; empty means root
   * @param runAsUser overrides the user's uid when set
   * @param runAsGroup overrides the primary group when set
   */
  public static ResolvedUser resolve(
      String user,
      Long runAsUser,
      Long runAsGroup,
      List<Long> supplementalGroups,
      String passwd,
      String group) {
    String spec = runAsUser != null ? Long.toString(runAsUser) : (user == null ? "" : user);
    String userPart = spec;
    String groupPart = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      userPart = spec.substring(0, colon);
      groupPart = spec.substring(colon + 1);
    }
    if (runAsUser != null && user != null && user.contains(":") && runAsGroup == null) {
      groupPart = user.substring(user.indexOf(':') + 1);
    }
    long uid = 0;
    long gid = 0;
    String name = null;
    if (!userPart.isEmpty()) {
      String[] entry = find(passwd, userPart, 2);
      if (entry != null) {
        name = entry[0];
        uid = Long.parseLong(entry[2]);
        gid = Long.parseLong(entry[3]);
      } else if (isNumber(userPart)) {
        uid = Long.parseLong(userPart);
      } else {
        throw new ContainerRuntimeException(
            ContainerRuntimeException.Code.INVALID_ARGUMENT,
            "unable to find user " + userPart + ": no matching entries in passwd file");
      }
    } else {
      name = "root";
    }
    if (groupPart != null && !groupPart.isEmpty()) {
      String[] entry = find(group, groupPart, 2);
      if (entry != null) gid = Long.parseLong(entry[2]);
      else if (isNumber(groupPart)) gid = Long.parseLong(groupPart);
      else {
        throw new ContainerRuntimeException(
            ContainerRuntimeException.Code.INVALID_ARGUMENT,
            "unable to find group " + groupPart + ": no matching entries in group file");
      }
    }
    if (runAsGroup != null) gid = runAsGroup;
    // The primary group is listed too, as containerd does, so `id` shows it among the groups.
    Set<Long> extra = new LinkedHashSet<>(List.of(gid));
    if (name != null && group != null) {
      for (String line : group.split("\n")) {
        String[] f = line.split(":", -1);
        if (f.length >= 4 && isNumber(f[2]) && List.of(f[3].split(",")).contains(name)) {
          extra.add(Long.parseLong(f[2]));
        }
      }
    }
    if (supplementalGroups != null) extra.addAll(supplementalGroups);
    return new ResolvedUser(uid, gid, new ArrayList<>(extra));
  }

  /** A passwd/group entry whose name (field 0) or id (field {@code idField}) is {@code key}. */
  private static String[] find(String file, String key, int idField) {
    if (file == null) return null;
    for (String line : file.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.split(":", -1);
      if (f.length <= idField + 1) continue;
      if (f[0].equals(key)) return f;
    }
    if (isNumber(key)) {
      for (String line : file.split("\n")) {
        String[] f = line.split(":", -1);
        if (f.length > idField + 1 && f[idField].equals(key)) return f;
      }
    }
    return null;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
