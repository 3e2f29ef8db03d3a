package dev.skiff.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.nio.charset.StandardCharsets;

/**
 * What a StatefulSet's or DaemonSet's ControllerRevision stores: a strategic merge patch that puts
 * the pod template back, {@code {"spec":{"template":{"$patch":"replace",...}}}}, which is what
 * {@code kubectl rollout undo} sends to roll back and what {@code rollout history --revision}
 * applies to show a template.
 */
public final class RevisionData {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

  private RevisionData() {}

  /**
   * The patch restoring {@code template}, written as kubectl writes it when it checks whether a
   * rollback is needed (Go's encoding: keys sorted, {@code creationTimestamp: null} in the
   * template's metadata, {@code resources: {}} on every container), so that a rollback to the
   * current template is recognised and skipped.
   */
  public static ObjectNode of(PodTemplateSpec template) {
    ObjectNode tree = CANONICAL.valueToTree(template);
    tree.withObjectProperty("metadata").putNull("creationTimestamp");
    for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      for (JsonNode container : tree.path("spec").path(list)) {
        if (container instanceof ObjectNode object && !object.has("resources")) {
          object.putObject("resources");
        }
      }
    }
    tree.put("$patch", "replace");
    ObjectNode patch = CANONICAL.createObjectNode();
    patch.putObject("spec").set("template", tree);
    try {
      return (ObjectNode) CANONICAL.readTree(bytes(patch));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("revision data is not serializable", e);
    }
  }

  /** A revision's data as a JSON tree, however the client decoded it. */
  public static JsonNode of(ControllerRevision revision) {
    return revision.getData() == null
        ? CANONICAL.nullNode()
        : CANONICAL.valueToTree(revision.getData());
  }

  /** The pod template a revision restores. */
  public static PodTemplateSpec template(ControllerRevision revision) {
    JsonNode template = of(revision).path("spec").path("template");
    if (!(template instanceof ObjectNode object)) {
      return new PodTemplateSpec();
    }
    ObjectNode copy = object.deepCopy();
    copy.remove("$patch");
    return CANONICAL.convertValue(copy, PodTemplateSpec.class);
  }

  /** Whether two revisions' data are the same, however their numbers were decoded. */
  public static boolean same(JsonNode a, JsonNode b) {
    return java.util.Arrays.equals(bytes(a), bytes(b));
  }

  /** Canonical bytes (keys sorted), what a revision's hash is computed over. */
  public static byte[] bytes(JsonNode data) {
    try {
      return CANONICAL
          .writeValueAsString(CANONICAL.treeToValue(data, Object.class))
          .getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("revision data is not serializable", e);
    }
  }
}
