package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.registry.ObjectMeta;
import java.util.Comparator;
import java.util.Optional;

/**
 * Gives a new PersistentVolumeClaim that names no storage class the cluster's default one. An
 * explicit empty class means "no class" and is left alone.
 */
final class DefaultStorageClass implements AdmissionPlugin {
  static final String IS_DEFAULT = "storageclass.kubernetes.io/is-default-class";
  static final String IS_DEFAULT_BETA = "storageclass.beta.kubernetes.io/is-default-class";

  private final ClusterObjects objects;
  private final ResourceType classes;

  DefaultStorageClass(ClusterObjects objects) {
    this.objects = objects;
    this.classes = objects.type("storage.k8s.io", "v1", "storageclasses");
  }

  @Override
  public void admit(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.isCore("persistentvolumeclaims") || !a.isCreate()) {
      return;
    }
    ObjectNode spec = object.withObjectProperty("spec");
    JsonNode given = spec.get("storageClassName");
    if (given != null && !given.isNull()) {
      return;
    }
    defaultClass().ifPresent(sc -> spec.put("storageClassName", ObjectMeta.name(sc)));
  }

  /** When several classes claim to be the default, the newest wins, as upstream. */
  private Optional<ObjectNode> defaultClass() {
    return objects.listed(classes, "").stream()
        .filter(DefaultStorageClass::isDefault)
        .max(
            Comparator.comparing(
                    (ObjectNode sc) -> sc.path("metadata").path("creationTimestamp").asText())
                .thenComparing(ObjectMeta::name));
  }

  private static boolean isDefault(JsonNode sc) {
    JsonNode annotations = sc.path("metadata").path("annotations");
    return annotations.path(IS_DEFAULT).asText().equals("true")
        || annotations.path(IS_DEFAULT_BETA).asText().equals("true");
  }
}
