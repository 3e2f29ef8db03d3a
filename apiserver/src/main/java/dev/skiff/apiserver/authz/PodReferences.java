package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** The secrets, configmaps or claims a pod's spec names: volumes, env, envFrom, pull secrets. */
public final class PodReferences {
  private PodReferences() {}

  public static Set<String> of(JsonNode pod, String resource) {
    JsonNode spec = pod.path("spec");
    Set<String> names = new HashSet<>();
    for (JsonNode v : spec.path("volumes")) {
      switch (resource) {
        case "secrets" -> add(names, v.path("secret").path("secretName"));
        case "configmaps" -> add(names, v.path("configMap").path("name"));
        case "persistentvolumeclaims" ->
            add(names, v.path("persistentVolumeClaim").path("claimName"));
        default -> {}
      }
      for (JsonNode src : v.path("projected").path("sources")) {
        add(names, src.path(resource.equals("secrets") ? "secret" : "configMap").path("name"));
      }
    }
    if (resource.equals("secrets")) {
      for (JsonNode s : spec.path("imagePullSecrets")) {
        add(names, s.path("name"));
      }
    }
    if (resource.equals("persistentvolumeclaims")) {
      return names;
    }
    for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode e : c.path("env")) {
          JsonNode from = e.path("valueFrom");
          add(
              names,
              from.path(resource.equals("secrets") ? "secretKeyRef" : "configMapKeyRef")
                  .path("name"));
        }
        for (JsonNode f : c.path("envFrom")) {
          add(
              names,
              f.path(resource.equals("secrets") ? "secretRef" : "configMapRef").path("name"));
        }
      }
    }
    return names;
  }

  private static void add(Set<String> names, JsonNode n) {
    if (n.isTextual() && !n.asText().isEmpty()) {
      names.add(n.asText());
    }
  }
}
