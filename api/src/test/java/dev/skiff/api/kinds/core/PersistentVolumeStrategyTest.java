package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentVolumeStrategyTest {

  private final PersistentVolumeStrategy strategy = new PersistentVolumeStrategy();

  @Test
  void defaultsAndRow() {
    ObjectNode pv =
        obj(
            "{'metadata':{'name':'pv-1'},'spec':{'capacity':{'storage':'5Gi'},'accessModes':['ReadWriteOnce','ReadOnlyMany'],"
                + "'hostPath':{'path':'/data'},'claimRef':{'namespace':'d','name':'data'}}}");
    strategy.applyDefaults(pv);
    strategy.prepareForCreate(pv);
    assertEquals(List.of(), strategy.validate(pv));
    assertEquals(
        List.of("pv-1", "5Gi", "RWO,ROX", "Retain", "Pending", "d/data", ""),
        strategy.tableCells(pv).subList(0, 7));
  }
}
