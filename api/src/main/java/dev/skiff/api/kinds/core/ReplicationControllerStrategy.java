package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.NameValidation;
import dev.skiff.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * ReplicationControllers: the selector (a plain map) and the object's labels default to the
 * template's labels, the selector must select the template, and DESIRED/CURRENT/READY columns.
 */
public final class ReplicationControllerStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Desired", "integer", "Number of desired pods."),
          TableColumn.of("Current", "integer", "Number of actual replicas."),
          TableColumn.of(
              "Ready", "integer", "The number of ready replicas for this replication controller."),
          TableColumn.AGE,
          PodTemplates.CONTAINERS,
          PodTemplates.IMAGES,
          TableColumn.wide(
              "Selector", "string", "The label selector of the replication controller."));

  public ReplicationControllerStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void applyDefaults(ObjectNode rc) {
    ObjectNode spec = rc.withObject("spec");
    if (spec.get("template") instanceof ObjectNode template) {
      PodTemplates.applyDefaults(template);
      JsonNode labels = template.path("metadata").path("labels");
      if (labels.isObject() && !labels.isEmpty()) {
        if (spec.path("selector").isEmpty()) {
          spec.set("selector", labels.deepCopy());
        }
        if (rc.path("metadata").path("labels").isEmpty()) {
          rc.withObject("metadata").set("labels", labels.deepCopy());
        }
      }
    }
    if (!spec.hasNonNull("replicas")) {
      spec.put("replicas", 1);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode rc) {
    initialStatus(rc, "replicas");
  }

  @Override
  public void prepareForUpdate(ObjectNode rc, ObjectNode old) {
    keepStatus(rc, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode rc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = rc.path("spec");
    JsonNode selector = spec.path("selector");
    if (selector.isEmpty()) {
      errs.add(FieldError.required("spec.selector", ""));
    } else {
      errs.addAll(ObjectMetaValidation.labels(selector, "spec.selector"));
    }
    if (spec.path("replicas").asLong(0) < 0) {
      errs.add(
          FieldError.invalid(
              "spec.replicas",
              spec.path("replicas").asLong(),
              "must be greater than or equal to 0"));
    }
    JsonNode template = spec.path("template");
    if (!template.isObject()) {
      errs.add(FieldError.required("spec.template", ""));
      return errs;
    }
    JsonNode labels = template.path("metadata").path("labels");
    if (!selector.isEmpty()) {
      boolean matches = true;
      for (var e : selector.properties()) {
        matches &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
      }
      if (!matches) {
        errs.add(
            FieldError.invalid(
                "spec.template.metadata.labels",
                GoSyntax.stringMap(labels),
                "`selector` does not match template `labels`"));
      }
    }
    errs.addAll(PodTemplates.validate(template, "spec.template", List.of("Always")));
    if (template.path("spec").has("activeDeadlineSeconds")) {
      errs.add(
          FieldError.forbidden(
              "spec.template.spec.activeDeadlineSeconds",
              "activeDeadlineSeconds in ReplicationController is not Supported"));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode rc) {
    JsonNode spec = rc.path("spec");
    JsonNode status = rc.path("status");
    return List.of(
        Printing.name(rc),
        spec.path("replicas").asLong(),
        status.path("replicas").asLong(),
        status.path("readyReplicas").asLong(),
        Printing.age(rc),
        PodTemplates.containerNames(spec.path("template")),
        PodTemplates.images(spec.path("template")),
        Printing.selector(spec.path("selector")));
  }
}
