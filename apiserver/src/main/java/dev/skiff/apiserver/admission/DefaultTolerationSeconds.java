package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gives new pods 300-second NoExecute tolerations of the not-ready and unreachable taints, so a pod
 * on a lost node is evicted five minutes after the node controller taints it, unless the pod
 * already tolerates those taints its own way.
 */
final class DefaultTolerationSeconds implements AdmissionPlugin {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final long SECONDS = 300;

  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.isCore("pods") || !a.isCreate()) {
      return;
    }
    ObjectNode spec = object.withObjectProperty("spec");
    JsonNode existing = spec.path("tolerations");
    boolean notReady = tolerates(existing, NOT_READY);
    boolean unreachable = tolerates(existing, UNREACHABLE);
    if (notReady && unreachable) {
      return;
    }
    ArrayNode tolerations = spec.withArrayProperty("tolerations");
    if (!notReady) {
      add(tolerations, NOT_READY);
    }
    if (!unreachable) {
      add(tolerations, UNREACHABLE);
    }
  }

  private static boolean tolerates(JsonNode tolerations, String key) {
    for (JsonNode t : tolerations) {
      String k = t.path("key").asText("");
      String effect = t.path("effect").asText("");
      if ((k.isEmpty() || k.equals(key)) && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return true;
      }
    }
    return false;
  }

  private static void add(ArrayNode tolerations, String key) {
    tolerations
        .addObject()
        .put("key", key)
        .put("operator", "Exists")
        .put("effect", "NoExecute")
        .put("tolerationSeconds", SECONDS);
  }
}
