package dev.skiff.api.kinds.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;

/**
 * StorageClasses: reclaimPolicy Delete and volumeBindingMode Immediate by default, a provisioner
 * and parameters fixed at creation, and the NAME (default) / PROVISIONER / ... columns.
 */
public final class StorageClassStrategy extends DefaultStrategy {

  public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  private static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");
  private static final List<String> BINDING = List.of("Immediate", "WaitForFirstConsumer");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Provisioner", "string", "Indicates the type of the provisioner."),
          TableColumn.of("ReclaimPolicy", "string", "Indicates the type of the reclaim policy."),
          TableColumn.of(
              "VolumeBindingMode",
              "string",
              "Indicates how PersistentVolumeClaims should be provisioned and bound."),
          TableColumn.of(
              "AllowVolumeExpansion",
              "string",
              "Indicates whether the storage class allow volume expand."),
          TableColumn.AGE);

  public StorageClassStrategy() {
    super(false);
  }

  @Override
  public void applyDefaults(ObjectNode sc) {
    if (!sc.hasNonNull("reclaimPolicy")) {
      sc.put("reclaimPolicy", "Delete");
    }
    if (!sc.hasNonNull("volumeBindingMode")) {
      sc.put("volumeBindingMode", "Immediate");
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode sc) {
    List<FieldError> errs = new ArrayList<>();
    if (sc.path("provisioner").asText("").isEmpty()) {
      errs.add(FieldError.required("provisioner", ""));
    }
    String reclaim = sc.path("reclaimPolicy").asText("");
    if (!RECLAIM.contains(reclaim)) {
      errs.add(FieldError.notSupported("reclaimPolicy", reclaim, RECLAIM));
    }
    String binding = sc.path("volumeBindingMode").asText("");
    if (!BINDING.contains(binding)) {
      errs.add(FieldError.notSupported("volumeBindingMode", binding, BINDING));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode sc, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : List.of("parameters", "provisioner", "reclaimPolicy", "volumeBindingMode")) {
      if (!sc.path(f).equals(old.path(f))) {
        errs.add(FieldError.forbidden(f, "updates to " + f + " are forbidden."));
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode sc) {
    JsonNode annotations = sc.path("metadata").path("annotations");
    boolean isDefault =
        annotations.path(DEFAULT_ANNOTATION).asText("").equals("true")
            || annotations
                .path("storageclass.beta.kubernetes.io/is-default-class")
                .asText("")
                .equals("true");
    return List.of(
        isDefault ? Printing.name(sc) + " (default)" : Printing.name(sc),
        sc.path("provisioner").asText(""),
        sc.path("reclaimPolicy").asText(""),
        sc.path("volumeBindingMode").asText(""),
        sc.path("allowVolumeExpansion").asBoolean(false),
        Printing.age(sc));
  }
}
