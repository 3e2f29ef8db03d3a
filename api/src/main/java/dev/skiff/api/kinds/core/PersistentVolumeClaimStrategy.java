package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * PersistentVolumeClaims: volumeMode Filesystem and phase Pending by default, access modes and a
 * storage request required, and kubectl's STATUS / VOLUME / CAPACITY / ACCESS MODES columns.
 */
public final class PersistentVolumeClaimStrategy extends DefaultStrategy {

  static final List<String> ACCESS_MODES =
      List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Status", "string", "The phase of the claim."),
          TableColumn.of(
              "Volume",
              "string",
              "The binding reference to the PersistentVolume backing this claim."),
          TableColumn.of("Capacity", "string", "The actual resources of the underlying volume."),
          TableColumn.of(
              "Access Modes", "string", "The access modes the volume backing the claim has."),
          TableColumn.of(
              "StorageClass", "string", "The name of the StorageClass required by the claim."),
          TableColumn.of(
              "VolumeAttributesClass",
              "string",
              "The name of the VolumeAttributesClass the claim uses."),
          TableColumn.AGE,
          TableColumn.wide(
              "VolumeMode", "string", "What type of volume is required by the claim."));

  public PersistentVolumeClaimStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode pvc) {
    PodSpecDefaults.putIfAbsent(pvc.withObject("spec"), "volumeMode", "Filesystem");
  }

  @Override
  public void prepareForCreate(ObjectNode pvc) {
    pvc.putObject("status").put("phase", "Pending");
  }

  @Override
  public void prepareForUpdate(ObjectNode pvc, ObjectNode old) {
    keepStatus(pvc, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pvc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = pvc.path("spec");
    errs.addAll(accessModes(spec.path("accessModes"), "spec.accessModes"));
    errs.addAll(
        positiveStorage(
            spec.path("resources").path("requests").path("storage").asText(""),
            "spec.resources[storage]",
            "spec.resources[storage]"));
    return errs;
  }

  /** A storage size is required and must be a quantity greater than zero. */
  static List<FieldError> positiveStorage(String storage, String requiredPath, String path) {
    if (storage.isEmpty()) {
      return List.of(FieldError.required(requiredPath, ""));
    }
    if (!Quantity.isValid(storage) || Quantity.parse(storage).signum() <= 0) {
      return List.of(FieldError.invalid(path, storage, "must be greater than zero"));
    }
    return List.of();
  }

  static List<FieldError> accessModes(JsonNode modes, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (modes.isEmpty()) {
      errs.add(FieldError.required(path, "at least 1 access mode is required"));
    }
    for (JsonNode m : modes) {
      if (!ACCESS_MODES.contains(m.asText())) {
        errs.add(FieldError.notSupported(path, m.asText(), ACCESS_MODES));
      }
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode pvc, ObjectNode old) {
    ObjectNode spec = ((ObjectNode) pvc.path("spec")).deepCopy();
    ObjectNode oldSpec = ((ObjectNode) old.path("spec")).deepCopy();
    // Binding fills volumeName once; the storage request may grow (expansion).
    for (ObjectNode s : List.of(spec, oldSpec)) {
      s.remove("resources");
      s.remove("volumeAttributesClassName");
    }
    if (oldSpec.path("volumeName").asText("").isEmpty()) {
      spec.remove("volumeName");
      oldSpec.remove("volumeName");
    }
    if (!spec.equals(oldSpec)) {
      return List.of(
          FieldError.forbidden(
              "spec",
              "spec is immutable after creation except resources.requests and"
                  + " volumeAttributesClassName for bound claims"));
    }
    return List.of();
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pvc) {
    JsonNode spec = pvc.path("spec");
    JsonNode status = pvc.path("status");
    String capacity = "";
    String modes = "";
    if (!spec.path("volumeName").asText("").isEmpty()) {
      modes = modesString(status.path("accessModes"));
      capacity = capacityString(status.path("capacity"));
    }
    return List.of(
        Printing.name(pvc),
        phaseString(pvc),
        spec.path("volumeName").asText(""),
        capacity,
        modes,
        storageClass(pvc),
        attributesClass(spec),
        Printing.age(pvc),
        spec.path("volumeMode").asText("<unset>"));
  }

  /** kubectl's short access modes (RWO, ROX, RWX, RWOP) in its fixed order. */
  static String modesString(JsonNode modes) {
    List<String> out = new ArrayList<>();
    String[][] known = {
      {"ReadWriteOnce", "RWO"},
      {"ReadOnlyMany", "ROX"},
      {"ReadWriteMany", "RWX"},
      {"ReadWriteOncePod", "RWOP"}
    };
    for (String[] k : known) {
      for (JsonNode m : modes) {
        if (m.asText().equals(k[0])) {
          out.add(k[1]);
          break;
        }
      }
    }
    return String.join(",", out);
  }

  /** The STATUS column: Terminating once deletion has begun, else the phase. */
  static String phaseString(JsonNode obj) {
    return obj.path("metadata").hasNonNull("deletionTimestamp")
        ? "Terminating"
        : obj.path("status").path("phase").asText("");
  }

  /** The CAPACITY column: the storage quantity in canonical form, 0 when it does not parse. */
  static String capacityString(JsonNode capacity) {
    String storage = capacity.path("storage").asText("");
    return Quantity.isValid(storage) ? Quantity.parse(storage).toString() : "0";
  }

  /** The STORAGECLASS column: the legacy beta annotation wins over spec.storageClassName. */
  static String storageClass(JsonNode obj) {
    String annotated =
        obj.path("metadata")
            .path("annotations")
            .path("volume.beta.kubernetes.io/storage-class")
            .asText("");
    return annotated.isEmpty() ? obj.path("spec").path("storageClassName").asText("") : annotated;
  }

  /** The VOLUMEATTRIBUTESCLASS column. */
  static String attributesClass(JsonNode spec) {
    String vac = spec.path("volumeAttributesClassName").asText("");
    return vac.isEmpty() ? "<unset>" : vac;
  }
}
