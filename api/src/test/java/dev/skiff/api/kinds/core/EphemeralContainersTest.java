package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EphemeralContainersTest {

  private static final ObjectNode POD =
      obj(
          "{'metadata':{'name':'web','namespace':'d'},'spec':{'containers':[{'name':'app','image':'nginx'}]},"
              + "'status':{'phase':'Running'}}");

  @Test
  void addingADebugContainerTouchesNothingElse() {
    ObjectNode request =
        obj(
            "{'metadata':{'name':'web'},'spec':{'containers':[{'name':'changed','image':'x'}],"
                + "'ephemeralContainers':[{'name':'debugger','image':'busybox','targetContainerName':'app','stdin':true}]}}");
    ObjectNode updated = EphemeralContainers.apply(POD, request);
    assertEquals("app", updated.at("/spec/containers/0/name").asText());
    assertEquals("debugger", updated.at("/spec/ephemeralContainers/0/name").asText());
    assertEquals("Always", updated.at("/spec/ephemeralContainers/0/imagePullPolicy").asText());
    assertEquals("Running", updated.at("/status/phase").asText());
    assertEquals(List.of(), EphemeralContainers.validateUpdate(updated, POD));
  }

  @Test
  void existingOnesMayNotBeRemovedOrChanged() {
    ObjectNode withDebugger =
        EphemeralContainers.apply(
            POD, obj("{'spec':{'ephemeralContainers':[{'name':'debugger','image':'busybox'}]}}"));
    ObjectNode removed = EphemeralContainers.apply(withDebugger, obj("{'spec':{}}"));
    assertEquals(
        List.of(
            "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not"
                + " be removed\n"),
        messages(EphemeralContainers.validateUpdate(removed, withDebugger)));
    ObjectNode changed =
        EphemeralContainers.apply(
            withDebugger,
            obj("{'spec':{'ephemeralContainers':[{'name':'debugger','image':'alpine'}]}}"));
    assertTrue(
        messages(EphemeralContainers.validateUpdate(changed, withDebugger))
            .getFirst()
            .startsWith(
                "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be changed"));
  }

  @Test
  void newOnesMayNotHavePortsOrClashWithContainerNames() {
    ObjectNode bad =
        EphemeralContainers.apply(
            POD,
            obj(
                "{'spec':{'ephemeralContainers':[{'name':'app','image':'busybox','ports':[{'containerPort':80}],"
                    + "'targetContainerName':'nope'}]}}"));
    assertEquals(
        List.of(
            "spec.ephemeralContainers[0].name: Duplicate value: \"app\"",
            "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
            "spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\""),
        messages(EphemeralContainers.validateUpdate(bad, POD)));
  }
}
