package dev.skiff.api.kinds.storage;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageClassStrategyTest {

  private final StorageClassStrategy strategy = new StorageClassStrategy();

  @Test
  void defaultsAndDefaultClassMarker() {
    ObjectNode sc =
        obj(
            "{'metadata':{'name':'local','annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},"
                + "'provisioner':'skiff.dev/local-path'}");
    strategy.applyDefaults(sc);
    assertEquals(List.of(), strategy.validate(sc));
    assertEquals(
        List.of("local (default)", "skiff.dev/local-path", "Delete", "Immediate", false),
        strategy.tableCells(sc).subList(0, 5));
    ObjectNode update = sc.deepCopy().put("provisioner", "other");
    assertEquals(
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        strategy.validateUpdate(update, sc).getFirst().toString());
  }
}
