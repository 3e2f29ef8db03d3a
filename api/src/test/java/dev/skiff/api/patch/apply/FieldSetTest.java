package dev.skiff.api.patch.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {
  private static final PathElement SPEC = PathElement.field("spec");
  private static final PathElement REPLICAS = PathElement.field("replicas");
  private static final PathElement NGINX =
      PathElement.key(Map.of("name", JsonNodeFactory.instance.textNode("nginx")));

  @Test
  void fieldsV1MarksMembersWithChildrenByDot() {
    FieldSet s =
        FieldSet.of(
            List.of(
                List.of(SPEC, REPLICAS),
                List.of(SPEC, PathElement.field("containers"), NGINX),
                List.of(SPEC, PathElement.field("containers"), NGINX, PathElement.field("image"))));
    assertEquals(
        "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{}}},"
            + "\"f:replicas\":{}}}",
        s.toFieldsV1().toString());
    assertEquals(s, FieldSet.fromFieldsV1(s.toFieldsV1()));
    assertFalse(s.contains(List.of(SPEC)), "spec itself is not a member");
    assertTrue(s.containsOrHasBelow(List.of(SPEC)));
  }

  @Test
  void setOperationsActOnMembers() {
    FieldSet a = FieldSet.of(List.of(List.of(SPEC, REPLICAS), List.of(SPEC)));
    FieldSet b = FieldSet.of(List.of(List.of(SPEC, REPLICAS)));
    assertEquals(List.of(List.of(SPEC)), a.difference(b).members());
    assertEquals(b, a.intersection(b));
    assertEquals(a, a.union(b));
    assertTrue(a.recursiveDifference(FieldSet.of(List.of(List.of(SPEC)))).isEmpty());
  }

  @Test
  void pathsPrintAsUpstreamNamesThemInConflicts() {
    assertEquals(".spec", SPEC.toString());
    assertEquals("[name=\"nginx\"]", NGINX.toString());
    assertEquals("[=\"a\"]", PathElement.value(JsonNodeFactory.instance.textNode("a")).toString());
    assertEquals("[3]", PathElement.index(3).toString());
    assertEquals(NGINX, PathElement.parse(NGINX.fieldsV1Key()));
    assertNull(PathElement.parse("x:nonsense"));
  }
}
