package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * PersistentVolumes: reclaim policy Retain, volumeMode Filesystem and phase Pending by default,
 * capacity and access modes required, and kubectl's columns.
 */
public final class PersistentVolumeStrategy extends DefaultStrategy {

  private static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Capacity", "string", "The capacity of the volume."),
          TableColumn.of("Access Modes", "string", "The ways the volume can be mounted."),
          TableColumn.of(
              "Reclaim Policy",
              "string",
              "What happens to the volume when released from its claim."),
          TableColumn.of("Status", "string", "The phase of the volume."),
          TableColumn.of("Claim", "string", "The claim bound to the volume."),
          TableColumn.of("StorageClass", "string", "The StorageClass the volume belongs to."),
          TableColumn.of(
              "VolumeAttributesClass",
              "string",
              "The VolumeAttributesClass the volume belongs to."),
          TableColumn.of("Reason", "string", "Why the volume is in its phase."),
          TableColumn.AGE,
          TableColumn.wide(
              "VolumeMode", "string", "Whether the volume is a filesystem or a raw block device."));

  public PersistentVolumeStrategy() {
    super(false, NameValidation.PATH_SEGMENT_NAME, false);
  }

  @Override
  public void applyDefaults(ObjectNode pv) {
    ObjectNode spec = pv.withObject("spec");
    PodSpecDefaults.putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
    PodSpecDefaults.putIfAbsent(spec, "volumeMode", "Filesystem");
  }

  @Override
  public void prepareForCreate(ObjectNode pv) {
    pv.putObject("status").put("phase", "Pending");
  }

  @Override
  public void prepareForUpdate(ObjectNode pv, ObjectNode old) {
    keepStatus(pv, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode pv) {
    JsonNode spec = pv.path("spec");
    List<FieldError> errs =
        new ArrayList<>(
            PersistentVolumeClaimStrategy.accessModes(
                spec.path("accessModes"), "spec.accessModes"));
    errs.addAll(
        PersistentVolumeClaimStrategy.positiveStorage(
            spec.path("capacity").path("storage").asText(""),
            "spec.capacity",
            "spec.capacity[storage]"));
    String reclaim = spec.path("persistentVolumeReclaimPolicy").asText("");
    if (!RECLAIM.contains(reclaim)) {
      errs.add(FieldError.notSupported("spec.persistentVolumeReclaimPolicy", reclaim, RECLAIM));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode pv) {
    JsonNode spec = pv.path("spec");
    JsonNode ref = spec.path("claimRef");
    String claim =
        ref.isObject() ? ref.path("namespace").asText("") + "/" + ref.path("name").asText("") : "";
    return List.of(
        Printing.name(pv),
        PersistentVolumeClaimStrategy.capacityString(spec.path("capacity")),
        PersistentVolumeClaimStrategy.modesString(spec.path("accessModes")),
        spec.path("persistentVolumeReclaimPolicy").asText(""),
        PersistentVolumeClaimStrategy.phaseString(pv),
        claim,
        PersistentVolumeClaimStrategy.storageClass(pv),
        PersistentVolumeClaimStrategy.attributesClass(spec),
        pv.path("status").path("reason").asText(""),
        Printing.age(pv),
        spec.path("volumeMode").asText("<unset>"));
  }
}
