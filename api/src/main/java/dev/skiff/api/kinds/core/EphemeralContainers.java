package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.kinds.JsonDiff;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods/ephemeralcontainers subresource (what {@code kubectl debug} writes): only {@code
 * spec.ephemeralContainers} changes, existing ones stay as they are, and new ones may not carry
 * ports, probes, lifecycle hooks or resources, as upstream rules.
 */
public final class EphemeralContainers {

  private EphemeralContainers() {}

  /** Fields upstream forbids on an ephemeral container, all worded the same way. */
  private static final List<String> FORBIDDEN =
      List.of("ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resources");

  /**
   * The stored pod with the request's ephemeral containers (defaulted) and nothing else of the
   * request: a write through this subresource can change no other field.
   */
  public static ObjectNode apply(ObjectNode stored, ObjectNode request) {
    ObjectNode pod = stored.deepCopy();
    JsonNode wanted = request.path("spec").path("ephemeralContainers");
    ArrayNode list = pod.withObject("spec").putArray("ephemeralContainers");
    for (JsonNode c : wanted) {
      if (c instanceof ObjectNode container) {
        ObjectNode copy = container.deepCopy();
        PodSpecDefaults.container(copy);
        list.add(copy);
      }
    }
    if (list.isEmpty()) {
      ((ObjectNode) pod.get("spec")).remove("ephemeralContainers");
    }
    return pod;
  }

  public static List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    String path = "spec.ephemeralContainers";
    JsonNode now = pod.path("spec").path("ephemeralContainers");
    Map<String, JsonNode> byName = new HashMap<>();
    now.forEach(c -> byName.put(c.path("name").asText(), c));
    Set<String> existing = new HashSet<>();
    for (JsonNode before : old.path("spec").path("ephemeralContainers")) {
      String name = before.path("name").asText();
      existing.add(name);
      JsonNode after = byName.get(name);
      if (after == null) {
        errs.add(
            FieldError.forbidden(
                path, "existing ephemeral containers \"" + name + "\" may not be removed\n"));
      } else if (!after.equals(before)) {
        errs.add(
            FieldError.forbidden(
                path,
                "existing ephemeral containers \""
                    + name
                    + "\" may not be changed\n"
                    + JsonDiff.describe(before, after)));
      }
    }
    Set<String> names = new HashSet<>();
    for (String list : List.of("initContainers", "containers")) {
      pod.path("spec").path(list).forEach(c -> names.add(c.path("name").asText()));
    }
    Set<String> targets = new HashSet<>(names);
    for (int i = 0; i < now.size(); i++) {
      JsonNode c = now.get(i);
      String p = path + "[" + i + "]";
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p + ".name", ""));
      } else {
        NameValidation.dns1123Label(name)
            .forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(p + ".name", name));
        }
      }
      if (existing.contains(name)) {
        continue;
      }
      if (c.path("image").asText("").isBlank()) {
        errs.add(FieldError.required(p + ".image", ""));
      }
      for (String field : FORBIDDEN) {
        JsonNode value = c.path(field);
        if (!value.isMissingNode() && !value.isNull() && !value.isEmpty()) {
          errs.add(
              FieldError.forbidden(p + "." + field, "cannot be set for an Ephemeral Container"));
        }
      }
      String target = c.path("targetContainerName").asText("");
      if (!target.isEmpty() && !targets.contains(target)) {
        errs.add(new FieldError(FieldError.Type.NOT_FOUND, p + ".targetContainerName", target, ""));
      }
    }
    return errs;
  }
}
