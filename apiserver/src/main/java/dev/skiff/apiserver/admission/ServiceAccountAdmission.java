package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Runs new pods as a ServiceAccount ({@code default} unless named), which must exist, and projects
 * its API credentials (a bound token, the cluster CA and the namespace) into every container at the
 * well-known path, unless the pod or its ServiceAccount opts out of automounting.
 */
final class ServiceAccountAdmission implements AdmissionPlugin {
  static final String DEFAULT = "default";
  static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final String VOLUME_PREFIX = "kube-api-access-";
  static final long TOKEN_EXPIRATION_SECONDS = 3607;
  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
  // The service account controller creates "default" right after its namespace; wait for it.
  private static final int DEFAULT_LOOKUP_ATTEMPTS = 20;
  private static final long DEFAULT_LOOKUP_PAUSE_MS = 50;
  // Upstream's alphabet for generated suffixes: no vowels, no look-alike digits.
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClusterObjects objects;
  private final ResourceType serviceAccounts;

  ServiceAccountAdmission(ClusterObjects objects) {
    this.objects = objects;
    this.serviceAccounts = objects.type("", "v1", "serviceaccounts");
  }

  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.isCore("pods")
        || !a.isCreate()
        || object.path("metadata").path("annotations").has(MIRROR_ANNOTATION)) {
      return;
    }
    ObjectNode spec = object.withObjectProperty("spec");
    String name = spec.path("serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = DEFAULT;
      spec.put("serviceAccountName", name);
    }
    ObjectNode account =
        lookup(a.namespace(), name)
            .orElseThrow(
                () ->
                    ApiException.forbidden(
                        a.type(),
                        a.name(),
                        "error looking up service account "
                            + a.namespace()
                            + "/"
                            + spec.path("serviceAccountName").asText()
                            + ": serviceaccount \""
                            + spec.path("serviceAccountName").asText()
                            + "\" not found"));
    if (automount(spec, account)) {
      mountToken(spec);
    }
  }

  private Optional<ObjectNode> lookup(String namespace, String name) {
    int attempts = name.equals(DEFAULT) ? DEFAULT_LOOKUP_ATTEMPTS : 1;
    for (int i = 0; ; i++) {
      Optional<ObjectNode> sa = objects.found(serviceAccounts, namespace, name);
      if (sa.isPresent() || i + 1 >= attempts) {
        return sa;
      }
      try {
        Thread.sleep(DEFAULT_LOOKUP_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return sa;
      }
    }
  }

  /** The pod's own setting wins over the ServiceAccount's; both unset means mount. */
  private static boolean automount(JsonNode spec, JsonNode account) {
    JsonNode pod = spec.get("automountServiceAccountToken");
    if (pod != null && pod.isBoolean()) {
      return pod.asBoolean();
    }
    JsonNode sa = account.get("automountServiceAccountToken");
    return sa == null || !sa.isBoolean() || sa.asBoolean();
  }

  private static void mountToken(ObjectNode spec) {
    String volume = null;
    for (JsonNode v : spec.path("volumes")) {
      if (v.path("name").asText().startsWith(VOLUME_PREFIX)) {
        volume = v.path("name").asText();
        break;
      }
    }
    boolean hasVolume = volume != null;
    if (volume == null) {
      volume = VOLUME_PREFIX + suffix();
    }
    boolean needed = false;
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        boolean mounted = false;
        for (JsonNode m : c.path("volumeMounts")) {
          // A mount of its own at the path keeps the API credentials out.
          mounted |= m.path("mountPath").asText().equals(MOUNT_PATH);
        }
        if (!mounted) {
          ((ObjectNode) c)
              .withArrayProperty("volumeMounts")
              .addObject()
              .put("name", volume)
              .put("readOnly", true)
              .put("mountPath", MOUNT_PATH);
          needed = true;
        }
      }
    }
    if (needed && !hasVolume) {
      spec.withArrayProperty("volumes").add(tokenVolume(volume));
    }
  }

  private static ObjectNode tokenVolume(String name) {
    ObjectNode v = Json.object().put("name", name);
    ObjectNode projected = v.putObject("projected");
    projected.put("defaultMode", 0644);
    ArrayNode sources = projected.putArray("sources");
    sources
        .addObject()
        .putObject("serviceAccountToken")
        .put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
        .put("path", "token");
    ObjectNode configMap =
        sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
    configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    sources
        .addObject()
        .putObject("downwardAPI")
        .putArray("items")
        .addObject()
        .put("path", "namespace")
        .putObject("fieldRef")
        .put("apiVersion", "v1")
        .put("fieldPath", "metadata.namespace");
    return v;
  }

  private static String suffix() {
    StringBuilder b = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      b.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
    }
    return b.toString();
  }
}
