package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentVolumeClaimStrategyTest {

  private final PersistentVolumeClaimStrategy strategy = new PersistentVolumeClaimStrategy();

  @Test
  void pendingClaimAndBoundClaimRows() {
    ObjectNode pvc =
        obj(
            "{'metadata':{'name':'data','namespace':'d'},'spec':{'accessModes':['ReadWriteOnce'],"
                + "'resources':{'requests':{'storage':'1Gi'}},'storageClassName':'local'}}");
    strategy.applyDefaults(pvc);
    strategy.prepareForCreate(pvc);
    assertEquals(List.of(), strategy.validate(pvc));
    assertEquals(
        List.of("data", "Pending", "", "", "", "local", "<unset>"),
        strategy.tableCells(pvc).subList(0, 7));
    ((ObjectNode) pvc.get("spec")).put("volumeName", "pv-1");
    ((ObjectNode) pvc.get("status"))
        .put("phase", "Bound")
        .set("capacity", obj("{'storage':'1024Mi'}"));
    ((ObjectNode) pvc.get("status")).putArray("accessModes").add("ReadWriteOnce");
    assertEquals(
        List.of("data", "Bound", "pv-1", "1Gi", "RWO"), strategy.tableCells(pvc).subList(0, 5));
  }

  @Test
  void storageAndAccessModesAreRequired() {
    ObjectNode pvc = obj("{'metadata':{'name':'data','namespace':'d'},'spec':{}}");
    strategy.applyDefaults(pvc);
    assertEquals(
        List.of(
            "spec.accessModes: Required value: at least 1 access mode is required",
            "spec.resources[storage]: Required value"),
        strategy.validate(pvc).stream().map(FieldError::toString).toList());
  }
}
