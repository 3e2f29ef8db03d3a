package dev.skiff.api.patch.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldManagerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final FieldManager fm = new FieldManager(Shape.root(Deployment.class), new FieldSet());

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static ObjectNode deployment(int replicas, String image) {
    return json(
        "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},"
            + "'spec':{'replicas':"
            + replicas
            + ",'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
            + "'spec':{'containers':[{'name':'nginx','image':'"
            + image
            + "'}]}}}}");
  }

  private FieldManager.Applied apply(
      List<ManagedFieldsEntry> entries, ObjectNode live, ObjectNode config, String manager) {
    return fm.apply(entries, live, config, manager, "apps/v1", "", false, "2026-01-01T00:00:00Z");
  }

  @Test
  void applyRecordsTheAppliedFieldsWithElementsByKey() {
    FieldManager.Applied a = apply(List.of(), null, deployment(2, "nginx"), "kubectl");
    assertEquals(1, a.managedFields().size());
    ManagedFieldsEntry e = a.managedFields().get(0);
    assertEquals("Apply", e.operation());
    JsonNode f = e.fields().toFieldsV1();
    assertEquals(
        json(
            "{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
                + "'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':"
                + "{'k:{\\'name\\':\\'nginx\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}"),
        f);
    assertEquals(e.fields(), FieldSet.fromFieldsV1(f));
  }

  @Test
  void changingAFieldAnotherManagerOwnsIsAConflictWithUpstreamsMessage() {
    ObjectNode live = deployment(2, "nginx");
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "kubectl-client-side-apply", "apps/v1", "", "t");
    ApplyConflict c =
        assertThrows(
            ApplyConflict.class, () -> apply(entries, live, deployment(3, "nginx"), "other"));
    assertEquals(
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1:"
            + " .spec.replicas",
        c.getMessage());
  }

  @Test
  void forceTakesTheFieldOverAndTheOldOwnerLosesIt() {
    ObjectNode live = deployment(2, "nginx");
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "editor", "apps/v1", "", "t");
    FieldManager.Applied a =
        fm.apply(entries, live, deployment(3, "nginx"), "ci", "apps/v1", "", true, "t");
    assertEquals(3, a.object().at("/spec/replicas").asInt());
    ManagedFieldsEntry editor =
        a.managedFields().stream().filter(e -> e.manager().equals("editor")).findFirst().get();
    List<PathElement> replicas = List.of(PathElement.field("spec"), PathElement.field("replicas"));
    assertFalse(editor.fields().contains(replicas));
    assertTrue(
        editor
            .fields()
            .contains(
                List.of(
                    PathElement.field("metadata"),
                    PathElement.field("labels"),
                    PathElement.field("app"))));
  }

  @Test
  void applyingTheSameValueSharesOwnershipWithoutConflict() {
    ObjectNode live = deployment(2, "nginx");
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "editor", "apps/v1", "", "t");
    FieldManager.Applied a = apply(entries, live, deployment(2, "nginx"), "ci");
    assertEquals(2, a.managedFields().size());
  }

  @Test
  void aFieldNoLongerAppliedIsRemovedUnlessSomeoneElseOwnsIt() {
    ObjectNode first = deployment(2, "nginx");
    first.withObjectProperty("metadata").withObjectProperty("labels").put("tier", "front");
    FieldManager.Applied a = apply(List.of(), null, first, "kubectl");
    FieldManager.Applied b =
        apply(a.managedFields(), a.object(), deployment(2, "nginx"), "kubectl");
    assertFalse(b.object().at("/metadata/labels").has("tier"));

    List<ManagedFieldsEntry> shared =
        apply(a.managedFields(), a.object(), first, "other").managedFields();
    FieldManager.Applied c = apply(shared, a.object(), deployment(2, "nginx"), "kubectl");
    assertEquals("front", c.object().at("/metadata/labels/tier").asText());
  }

  @Test
  void listElementsMergeByKeyAndKeepTheirOrder() {
    ObjectNode live = deployment(1, "nginx");
    ((com.fasterxml.jackson.databind.node.ArrayNode) live.at("/spec/template/spec/containers"))
        .add(json("{'name':'sidecar','image':'busybox'}"));
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "editor", "apps/v1", "", "t");
    FieldManager.Applied a =
        fm.apply(entries, live, deployment(1, "nginx:2"), "ci", "apps/v1", "", true, "t");
    JsonNode containers = a.object().at("/spec/template/spec/containers");
    assertEquals(2, containers.size());
    assertEquals("nginx:2", containers.get(0).get("image").asText());
    assertEquals("sidecar", containers.get(1).get("name").asText());
  }

  @Test
  void portsAreKeyedByNumberAndDefaultedProtocol() {
    ObjectNode config = deployment(1, "nginx");
    ((ObjectNode) config.at("/spec/template/spec/containers/0"))
        .putArray("ports")
        .add(json("{'containerPort':80}"));
    FieldSet f = apply(List.of(), null, config, "kubectl").managedFields().get(0).fields();
    assertTrue(
        f.toString().contains("k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}"),
        f.toString());
  }

  @Test
  void anUpdateTakesWhatItChangedFromOthersAndDropsWhatItRemoved() {
    ObjectNode live = deployment(2, "nginx");
    List<ManagedFieldsEntry> entries = apply(List.of(), null, live, "kubectl").managedFields();
    ObjectNode edited = deployment(5, "nginx");
    ((ObjectNode) edited.get("metadata")).remove("labels");
    List<ManagedFieldsEntry> after =
        fm.update(entries, live, edited, "kubectl-edit", "apps/v1", "", "t2");
    ManagedFieldsEntry applier =
        after.stream().filter(e -> e.manager().equals("kubectl")).findFirst().get();
    ManagedFieldsEntry editor =
        after.stream().filter(e -> e.manager().equals("kubectl-edit")).findFirst().get();
    assertFalse(applier.fields().containsOrHasBelow(List.of(PathElement.field("metadata"))));
    assertFalse(
        applier
            .fields()
            .contains(List.of(PathElement.field("spec"), PathElement.field("replicas"))));
    assertEquals(
        List.of(List.of(PathElement.field("spec"), PathElement.field("replicas"))),
        editor.fields().members());
  }

  @Test
  void kubectlTakesOverFieldsItsLastClientSideApplySet() {
    ObjectNode live = deployment(2, "nginx");
    live.withObjectProperty("metadata")
        .withObjectProperty("annotations")
        .put(FieldManager.LAST_APPLIED, deployment(2, "nginx").toString());
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "kubectl-client-side-apply", "apps/v1", "", "t");
    FieldManager.Applied a = apply(entries, live, deployment(3, "nginx"), "kubectl");
    assertEquals(3, a.object().at("/spec/replicas").asInt());
    String annotation =
        a.object().at("/metadata/annotations").get(FieldManager.LAST_APPLIED).asText();
    assertTrue(annotation.contains("\"replicas\":3"), annotation);
    assertTrue(annotation.startsWith("{\"apiVersion\":\"apps/v1\",\"kind\""), annotation);
    assertFalse(annotation.contains("annotations"), annotation);
  }

  @Test
  void conflictPathsNameListElementsByKey() {
    ObjectNode live = deployment(2, "nginx");
    List<ManagedFieldsEntry> entries =
        fm.update(List.of(), null, live, "editor", "apps/v1", "", "t");
    ApplyConflict c =
        assertThrows(ApplyConflict.class, () -> apply(entries, live, deployment(3, "httpd"), "ci"));
    assertEquals(2, c.conflicts().size());
    assertTrue(
        c.getMessage().contains("- .spec.template.spec.containers[name=\"nginx\"].image"),
        c.getMessage());
    assertTrue(
        c.getMessage()
            .startsWith("Apply failed with 2 conflicts: conflicts with \"editor\" using apps/v1:"));
  }
}
