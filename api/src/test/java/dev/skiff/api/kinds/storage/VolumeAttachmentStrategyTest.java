package dev.skiff.api.kinds.storage;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeAttachmentStrategyTest {

  @Test
  void rowAndRequiredFields() {
    VolumeAttachmentStrategy strategy = new VolumeAttachmentStrategy();
    ObjectNode va =
        obj(
            "{'metadata':{'name':'csi-1'},'spec':{'attacher':'csi.example.com','nodeName':'n1',"
                + "'source':{'persistentVolumeName':'pv-1'}},'status':{'attached':true}}");
    assertEquals(List.of(), strategy.validate(va));
    assertEquals(
        List.of("csi-1", "csi.example.com", "pv-1", "n1", true),
        strategy.tableCells(va).subList(0, 5));
    assertEquals(3, strategy.validate(obj("{'metadata':{'name':'v'},'spec':{}}")).size());
  }
}
