package dev.skiff.api.patch.apply;

import static dev.skiff.api.patch.apply.FieldManagerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A create's managed fields come from one walk over the new object; they must equal what comparing
 * the object with its type's zero value (top-level structs present, empty) gives.
 */
class CreatedFieldsTest {
  private static final String NOW = "2026-01-01T00:00:00Z";

  private static JsonNode created(FieldManager fm, ObjectNode obj) {
    List<ManagedFieldsEntry> out = fm.update(List.of(), null, obj, "m", "v1", "", NOW);
    return out.isEmpty() ? null : out.get(0).toJson();
  }

  /**
   * The same write as an update of the zero value (top-level structs present, maps nil), which
   * takes the general comparison.
   */
  private static JsonNode comparedWithZero(FieldManager fm, Shape shape, ObjectNode obj) {
    ObjectNode zero = json("{}");
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (e.getValue().isObject() && shape.zeroValueHolds(e.getKey())) {
        zero.putObject(e.getKey());
      }
    }
    List<ManagedFieldsEntry> out = fm.update(List.of(), zero, obj, "m", "v1", "", NOW);
    return out.isEmpty() ? null : out.get(0).toJson();
  }

  private static void assertSameAsComparison(Class<?> type, FieldSet ignored, ObjectNode obj) {
    Shape shape = Shape.root(type);
    FieldManager fm = new FieldManager(shape, ignored);
    assertEquals(comparedWithZero(fm, shape, obj), created(fm, obj), obj.toString());
  }

  @Test
  void aCreatedConfigMapOwnsItsKeysLabelsAndAnnotationsButNotServerFields() {
    ObjectNode cm =
        json(
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'d',"
                + "'uid':'u','resourceVersion':'5','creationTimestamp':'t','labels':{'a':'b'},"
                + "'annotations':{'x':'y'}},'data':{'k1':'v','k2':''},'immutable':false}");
    FieldManager fm = new FieldManager(Shape.root(ConfigMap.class), new FieldSet());
    JsonNode entry = created(fm, cm);
    assertEquals("Update", entry.get("operation").asText());
    assertEquals(NOW, entry.get("time").asText());
    assertEquals(
        json("{'f:annotations':{'.':{},'f:x':{}},'f:labels':{'.':{},'f:a':{}}}"),
        entry.at("/fieldsV1/f:metadata"));
    // As upstream: data is a nil map in the zero ConfigMap, so the create adds the map itself.
    assertEquals(json("{'.':{},'f:k1':{},'f:k2':{}}"), entry.at("/fieldsV1/f:data"));
    assertTrue(entry.at("/fieldsV1/f:immutable").isObject(), entry.toString());
    assertSameAsComparison(ConfigMap.class, new FieldSet(), cm);
  }

  @Test
  void keyedListsSetsNullsEmptiesAndUnknownFieldsMatchTheComparison() {
    ObjectNode d = FieldManagerTest.deployment(2, "nginx");
    ObjectNode c = (ObjectNode) d.at("/spec/template/spec/containers/0");
    c.putArray("ports")
        .add(json("{'containerPort':80}"))
        .add(json("{'containerPort':53,'protocol':'UDP'}"));
    c.putArray("args");
    c.putNull("resources");
    c.putObject("securityContext");
    c.set("unknownThing", json("{'deep':{'er':1}}"));
    ((ObjectNode) d.get("metadata")).putArray("finalizers").add("a").add("b");
    d.set("extra", json("{'x':{'y':[1,2]}}"));
    d.put("status", 3);
    assertSameAsComparison(Deployment.class, new FieldSet(), d);
  }

  @Test
  void listsThatCannotBeKeyedAreOwnedWhole() {
    ObjectNode d = FieldManagerTest.deployment(1, "nginx");
    ((com.fasterxml.jackson.databind.node.ArrayNode) d.at("/spec/template/spec/containers"))
        .add(json("{'name':'nginx','image':'twice'}"));
    ((ObjectNode) d.at("/spec/template/spec")).putArray("volumes").add(json("{'emptyDir':{}}"));
    assertSameAsComparison(Deployment.class, new FieldSet(), d);
  }

  @Test
  void fieldsTheWriteCannotChangeAreNotOwned() {
    ObjectNode pod =
        json(
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','generateName':'p-',"
                + "'managedFields':[{'manager':'x'}]},'spec':{'nodeName':'n','containers':"
                + "[{'name':'c','image':'i','env':[{'name':'A','value':'1'}]}]},"
                + "'status':{'phase':'Pending','conditions':[{'type':'Ready','status':'True'}]}}");
    FieldSet status = FieldSet.of(List.of(List.of(PathElement.field("status"))));
    FieldSet spec = FieldSet.of(List.of(List.of(PathElement.field("spec"))));
    assertSameAsComparison(Pod.class, status, pod);
    assertSameAsComparison(Pod.class, spec, pod);
    FieldManager fm = new FieldManager(Shape.root(Pod.class), status);
    JsonNode owned = created(fm, pod).get("fieldsV1");
    assertTrue(owned.path("f:status").isMissingNode(), owned.toString());
    assertTrue(owned.at("/f:spec/f:containers").isObject(), owned.toString());
  }

  @Test
  void objectsWithoutAModelAreDeduced() {
    ObjectNode cr =
        json(
            "{'apiVersion':'x.io/v1','kind':'Thing','metadata':{'name':'t','labels':{'a':'b'}},"
                + "'spec':{'list':[{'a':1}],'nested':{'n':null,'e':{}}}}");
    assertSameAsComparison(null, new FieldSet(), cr);
  }

  @Test
  void anObjectWithOnlyServerFieldsOwnsNothing() {
    ObjectNode cm = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}");
    assertEquals(null, created(new FieldManager(Shape.root(ConfigMap.class), new FieldSet()), cm));
    assertSameAsComparison(ConfigMap.class, new FieldSet(), cm);
  }
}
