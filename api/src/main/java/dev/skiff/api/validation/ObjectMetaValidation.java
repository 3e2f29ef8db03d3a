package dev.skiff.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Upstream's ValidateObjectMeta and ValidateObjectMetaUpdate, on JSON trees. */
public final class ObjectMetaValidation {

  private ObjectMetaValidation() {}

  /** Upstream's TotalAnnotationSizeLimitB: keys plus values of all annotations. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  public static List<FieldError> validate(
      ObjectNode obj, boolean namespaced, NameValidation.NameRule nameRule) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode meta = obj.path("metadata");
    String generateName = meta.path("generateName").asText("");
    if (!generateName.isEmpty()) {
      for (String msg : nameRule.check(generateName, true)) {
        errs.add(FieldError.invalid("metadata.generateName", generateName, msg));
      }
    }
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      errs.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      for (String msg : nameRule.check(name, false)) {
        errs.add(FieldError.invalid("metadata.name", name, msg));
      }
    }
    String namespace = meta.path("namespace").asText("");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errs.add(FieldError.required("metadata.namespace", ""));
      } else {
        for (String msg : NameValidation.dns1123Label(namespace)) {
          errs.add(FieldError.invalid("metadata.namespace", namespace, msg));
        }
      }
    } else if (!namespace.isEmpty()) {
      errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
    }
    if (meta.path("generation").asLong(0) < 0) {
      errs.add(
          FieldError.invalid(
              "metadata.generation",
              meta.path("generation").asLong(),
              "must be greater than or equal to 0"));
    }
    errs.addAll(labels(meta.path("labels"), "metadata.labels"));
    errs.addAll(annotations(meta.path("annotations"), "metadata.annotations"));
    errs.addAll(ownerReferences(meta.path("ownerReferences"), "metadata.ownerReferences"));
    errs.addAll(finalizers(meta.path("finalizers"), "metadata.finalizers"));
    return errs;
  }

  /** The metadata fields an update may not change, as upstream's ValidateObjectMetaUpdate. */
  public static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode meta = obj.path("metadata");
    JsonNode oldMeta = old.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "creationTimestamp")) {
      if (!Objects.equals(meta.path(f).asText(""), oldMeta.path(f).asText(""))) {
        errs.add(
            FieldError.invalid("metadata." + f, meta.path(f).asText(""), "field is immutable"));
      }
    }
    return errs;
  }

  /** Label keys must be qualified names and values valid label values. */
  public static List<FieldError> labels(JsonNode labels, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (!labels.isObject()) {
      return errs;
    }
    labels
        .properties()
        .forEach(
            e -> {
              for (String msg : NameValidation.qualifiedName(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), msg));
              }
              String value = e.getValue().asText("");
              for (String msg : NameValidation.labelValue(value)) {
                errs.add(FieldError.invalid(path, value, msg));
              }
            });
    return errs;
  }

  /** Annotation keys are case-insensitive qualified names; all of them share a size budget. */
  public static List<FieldError> annotations(JsonNode annotations, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (!annotations.isObject()) {
      return errs;
    }
    long size = 0;
    for (var e : annotations.properties()) {
      for (String msg : NameValidation.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
        errs.add(FieldError.invalid(path, e.getKey(), msg));
      }
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += e.getValue().asText("").getBytes(StandardCharsets.UTF_8).length;
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.add(
          new FieldError(
              FieldError.Type.TOO_LONG,
              path,
              null,
              "may not be more than " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes"));
    }
    return errs;
  }

  public static List<FieldError> ownerReferences(JsonNode refs, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (!refs.isArray()) {
      return errs;
    }
    List<String> controllers = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      JsonNode ref = refs.get(i);
      String p = path + "[" + i + "]";
      String apiVersion = ref.path("apiVersion").asText("");
      if (apiVersion.isEmpty()) {
        errs.add(FieldError.invalid(p + ".apiVersion", apiVersion, "version must not be empty"));
      }
      if (ref.path("kind").asText("").isEmpty()) {
        errs.add(FieldError.invalid(p + ".kind", "", "kind must not be empty"));
      }
      if (ref.path("name").asText("").isEmpty()) {
        errs.add(FieldError.invalid(p + ".name", "", "name must not be empty"));
      }
      if (ref.path("uid").asText("").isEmpty()) {
        errs.add(FieldError.invalid(p + ".uid", "", "uid must not be empty"));
      }
      if (ref.path("controller").asBoolean(false)) {
        controllers.add(ref.path("kind").asText() + "/" + ref.path("name").asText());
      }
    }
    if (controllers.size() > 1) {
      errs.add(
          FieldError.invalid(
              path,
              new GoSyntax(refs.toString()),
              "Only one reference can have Controller set to true. Found \"true\" in references"
                  + " for "
                  + String.join(" and ", controllers)));
    }
    return errs;
  }

  public static List<FieldError> finalizers(JsonNode finalizers, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (!finalizers.isArray()) {
      return errs;
    }
    boolean orphan = false;
    boolean foreground = false;
    for (JsonNode f : finalizers) {
      String name = f.asText("");
      for (String msg : NameValidation.qualifiedName(name)) {
        errs.add(FieldError.invalid(path, name, msg));
      }
      orphan |= name.equals("orphan");
      foreground |= name.equals("foregroundDeletion");
    }
    if (orphan && foreground) {
      errs.add(
          FieldError.invalid(
              path,
              new GoSyntax(finalizers.toString()),
              "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    return errs;
  }
}
