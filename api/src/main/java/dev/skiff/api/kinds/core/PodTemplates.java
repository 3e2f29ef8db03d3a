package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * What every kind with a {@code spec.template} shares: template defaults, template validation and
 * the CONTAINERS / IMAGES cells of {@code kubectl get -o wide}.
 */
public final class PodTemplates {

  private PodTemplates() {}

  public static final TableColumn CONTAINERS =
      TableColumn.wide("Containers", "string", "Names of each container in the template.");
  public static final TableColumn IMAGES =
      TableColumn.wide("Images", "string", "Images referenced by each container in the template.");

  /** Defaults of {@code template} (a PodTemplateSpec) as upstream prints them back. */
  public static void applyDefaults(ObjectNode template) {
    ObjectNode meta = template.withObject("metadata");
    if (!meta.has("creationTimestamp")) {
      meta.putNull("creationTimestamp");
    }
    PodSpecDefaults.apply(template.withObject("spec"));
  }

  /**
   * Validates the template at {@code path} (e.g. {@code spec.template}); its restart policy must be
   * one of {@code restartPolicies}, as each controller supports only some.
   */
  public static List<FieldError> validate(
      JsonNode template, String path, List<String> restartPolicies) {
    List<FieldError> errs = new ArrayList<>();
    if (!template.isObject()) {
      errs.add(FieldError.required(path, ""));
      return errs;
    }
    JsonNode meta = template.path("metadata");
    errs.addAll(ObjectMetaValidation.labels(meta.path("labels"), path + ".metadata.labels"));
    errs.addAll(
        ObjectMetaValidation.annotations(meta.path("annotations"), path + ".metadata.annotations"));
    JsonNode spec = template.path("spec");
    errs.addAll(PodSpecValidation.validate(spec, path + ".spec"));
    String restart = spec.path("restartPolicy").asText("");
    if (!restart.isEmpty()
        && PodSpecValidation.RESTART_POLICIES.contains(restart)
        && !restartPolicies.contains(restart)) {
      errs.add(FieldError.notSupported(path + ".spec.restartPolicy", restart, restartPolicies));
    }
    return errs;
  }

  public static String containerNames(JsonNode template) {
    return Printing.joined(
        Printing.each(template.path("spec").path("containers"), c -> c.path("name").asText()));
  }

  public static String images(JsonNode template) {
    return Printing.joined(
        Printing.each(template.path("spec").path("containers"), c -> c.path("image").asText()));
  }
}
