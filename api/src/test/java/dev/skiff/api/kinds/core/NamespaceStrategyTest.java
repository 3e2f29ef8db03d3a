package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceStrategyTest {

  private final NamespaceStrategy strategy = new NamespaceStrategy();

  private ObjectNode created(String name) {
    ObjectNode ns = obj("{'metadata':{'name':'" + name + "'}}");
    strategy.applyDefaults(ns);
    strategy.prepareForCreate(ns);
    return ns;
  }

  @Test
  void createIsActiveWithFinalizerAndNameLabel() {
    ObjectNode ns = created("team-a");
    assertEquals("Active", ns.at("/status/phase").asText());
    assertEquals("kubernetes", ns.at("/spec/finalizers/0").asText());
    assertEquals("team-a", ns.at("/metadata/labels").get(NamespaceStrategy.NAME_LABEL).asText());
    assertEquals(List.of(), strategy.validate(ns));
    assertEquals(List.of("team-a", "Active"), strategy.tableCells(ns).subList(0, 2));
  }

  @Test
  void nameMustBeADnsLabel() {
    assertTrue(
        strategy
            .validate(created("a.b"))
            .getFirst()
            .toString()
            .startsWith(
                "metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist"));
  }

  @Test
  void updateKeepsSpecFinalizersAndStatus() {
    ObjectNode old = created("x");
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.get("spec")).putArray("finalizers");
    ((ObjectNode) update.get("status")).put("phase", "Terminating");
    strategy.prepareForUpdate(update, old);
    assertEquals("kubernetes", update.at("/spec/finalizers/0").asText());
    assertEquals("Active", update.at("/status/phase").asText());
  }
}
