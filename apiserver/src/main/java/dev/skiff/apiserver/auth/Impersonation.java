package dev.skiff.apiserver.auth;

import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.authz.Authorization;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Upstream's impersonation filter: {@code Impersonate-User}, {@code -Group}, {@code -Uid} and
 * {@code -Extra-<key>} headers replace the requester's identity, each part allowed only by the
 * {@code impersonate} verb on users, serviceaccounts, groups, uids or userextras.
 */
public final class Impersonation {
  public static final String USER = "Impersonate-User";
  public static final String GROUP = "Impersonate-Group";
  public static final String UID = "Impersonate-Uid";
  public static final String EXTRA_PREFIX = "Impersonate-Extra-";
  private static final String SA_PREFIX = "system:serviceaccount:";

  private final Authorization authz;

  public Impersonation(Authorization authz) {
    this.authz = authz;
  }

  /** The identity to act as; {@code requester} itself when no impersonation header is present. */
  public UserInfo apply(UserInfo requester, HttpFields headers) {
    String name = headers.get(USER);
    List<String> groups = headers.getValuesList(GROUP);
    String uid = headers.get(UID);
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (HttpField f : headers) {
      if (f.getName().regionMatches(true, 0, EXTRA_PREFIX, 0, EXTRA_PREFIX.length())) {
        String key =
            java.net.URLDecoder.decode(
                    f.getName().substring(EXTRA_PREFIX.length()),
                    java.nio.charset.StandardCharsets.UTF_8)
                .toLowerCase(java.util.Locale.ROOT);
        extra.computeIfAbsent(key, k -> new ArrayList<>()).add(f.getValue());
      }
    }
    if (name == null) {
      if (!groups.isEmpty() || uid != null || !extra.isEmpty()) {
        throw ApiException.badRequest("requested " + groups + " without impersonating a user");
      }
      return requester;
    }
    if (name.startsWith(SA_PREFIX) && name.substring(SA_PREFIX.length()).contains(":")) {
      String[] nsName = name.substring(SA_PREFIX.length()).split(":", 2);
      check(requester, "", "serviceaccounts", nsName[0], nsName[1]);
    } else {
      check(requester, "", "users", "", name);
    }
    for (String g : groups) {
      check(requester, "", "groups", "", g);
    }
    if (uid != null) {
      check(requester, "authentication.k8s.io", "uids", "", uid);
    }
    for (var e : extra.entrySet()) {
      for (String v : e.getValue()) {
        check(requester, "authentication.k8s.io", "userextras/" + e.getKey(), "", v);
      }
    }
    List<String> all = new ArrayList<>(groups);
    if (name.startsWith(SA_PREFIX) && groups.isEmpty()) {
      String ns = name.substring(SA_PREFIX.length()).split(":", 2)[0];
      all.add("system:serviceaccounts");
      all.add("system:serviceaccounts:" + ns);
    }
    if (!name.equals(UserInfo.ANONYMOUS.name()) && !all.contains(UserInfo.AUTHENTICATED)) {
      all.add(UserInfo.AUTHENTICATED);
    } else if (name.equals(UserInfo.ANONYMOUS.name()) && !all.contains("system:unauthenticated")) {
      all.add("system:unauthenticated");
    }
    return new UserInfo(name, uid, all, extra);
  }

  private void check(UserInfo requester, String group, String resource, String ns, String name) {
    String sub = "";
    String res = resource;
    int slash = resource.indexOf('/');
    if (slash > 0) {
      res = resource.substring(0, slash);
      sub = resource.substring(slash + 1);
    }
    authz.check(Attributes.resource(requester, "impersonate", group, res, sub, ns, name));
  }
}
