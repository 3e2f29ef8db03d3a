package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Upstream's SetDefaults_PodSpec and the container, probe and volume defaults under it; used for
 * Pods and for every pod template (Deployments, Jobs, ...).
 */
public final class PodSpecDefaults {

  private PodSpecDefaults() {}

  public static void apply(ObjectNode spec) {
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "restartPolicy", "Always");
    if (!spec.hasNonNull("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    if (!spec.hasNonNull("securityContext")) {
      spec.putObject("securityContext");
    }
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container);
        }
      }
    }
    for (JsonNode v : spec.path("volumes")) {
      if (v instanceof ObjectNode volume) {
        volume(volume);
      }
    }
  }

  static void container(ObjectNode c) {
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    putIfAbsent(c, "imagePullPolicy", pullPolicy(c.path("image").asText("")));
    if (!c.hasNonNull("resources")) {
      c.putObject("resources");
    }
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfAbsent(port, "protocol", "TCP");
      }
    }
    for (JsonNode e : c.path("env")) {
      if (e.path("valueFrom").path("fieldRef") instanceof ObjectNode ref) {
        putIfAbsent(ref, "apiVersion", "v1");
      }
    }
    for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
      if (c.get(probe) instanceof ObjectNode p) {
        probe(p);
      }
    }
  }

  /** Always for an untagged or {@code :latest} image, IfNotPresent for a tag or digest. */
  public static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash) {
      return "Always";
    }
    return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
  }

  private static void probe(ObjectNode p) {
    putIfAbsent(p, "timeoutSeconds", 1);
    putIfAbsent(p, "periodSeconds", 10);
    putIfAbsent(p, "successThreshold", 1);
    putIfAbsent(p, "failureThreshold", 3);
    if (p.get("httpGet") instanceof ObjectNode http) {
      putIfAbsent(http, "path", "/");
      putIfAbsent(http, "scheme", "HTTP");
    }
    if (p.get("grpc") instanceof ObjectNode grpc) {
      putIfAbsent(grpc, "service", "");
    }
  }

  private static void volume(ObjectNode v) {
    for (String source : new String[] {"secret", "configMap", "downwardAPI", "projected"}) {
      if (v.get(source) instanceof ObjectNode s) {
        putIfAbsent(s, "defaultMode", 420);
      }
    }
    if (v.get("hostPath") instanceof ObjectNode hp) {
      putIfAbsent(hp, "type", "");
    }
    if (v.get("projected") instanceof ObjectNode projected) {
      for (JsonNode src : projected.path("sources")) {
        if (src.get("serviceAccountToken") instanceof ObjectNode token) {
          putIfAbsent(token, "expirationSeconds", 3600);
        }
      }
    }
    if (v.get("iscsi") instanceof ObjectNode iscsi) {
      putIfAbsent(iscsi, "iscsiInterface", "default");
    }
    if (v.get("rbd") instanceof ObjectNode rbd) {
      putIfAbsent(rbd, "pool", "rbd");
      putIfAbsent(rbd, "user", "admin");
      putIfAbsent(rbd, "keyring", "/etc/ceph/keyring");
    }
  }

  /** Sets a field that is absent or null; a default never overwrites what the user wrote. */
  public static void putIfAbsent(ObjectNode obj, String field, String value) {
    if (!obj.hasNonNull(field)) {
      obj.put(field, value);
    }
  }

  public static void putIfAbsent(ObjectNode obj, String field, int value) {
    if (!obj.hasNonNull(field)) {
      obj.put(field, value);
    }
  }
}
