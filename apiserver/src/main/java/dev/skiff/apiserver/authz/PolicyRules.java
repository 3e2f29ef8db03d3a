package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;

/** How one RBAC PolicyRule matches request attributes, with upstream's wildcards. */
public final class PolicyRules {
  private PolicyRules() {}

  public static boolean allows(JsonNode rule, Attributes a) {
    if (!has(rule.path("verbs"), a.verb())) {
      return false;
    }
    if (!a.resourceRequest()) {
      return nonResourceUrlMatches(rule.path("nonResourceURLs"), a.path());
    }
    return has(rule.path("apiGroups"), a.group())
        && resourceMatches(rule.path("resources"), a.resource(), a.subresource())
        && resourceNameMatches(rule.path("resourceNames"), a.name());
  }

  private static boolean has(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals("*") || v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean resourceMatches(JsonNode resources, String resource, String sub) {
    String combined = sub.isEmpty() ? resource : resource + "/" + sub;
    for (JsonNode v : resources) {
      String r = v.asText();
      if (r.equals("*") || r.equals(combined)) {
        return true;
      }
      if (!sub.isEmpty() && (r.equals("*/" + sub) || r.equals(resource + "/*"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean resourceNameMatches(JsonNode names, String name) {
    if (names.isEmpty()) {
      return true;
    }
    for (JsonNode v : names) {
      if (v.asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nonResourceUrlMatches(JsonNode urls, String path) {
    for (JsonNode v : urls) {
      String u = v.asText();
      if (u.equals("*") || u.equals(path)) {
        return true;
      }
      if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
