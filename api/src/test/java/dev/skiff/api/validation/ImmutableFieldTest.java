package dev.skiff.api.validation;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImmutableFieldTest {

  @Test
  void anUnchangedFieldPassesAndAChangedOneIsRefusedShowingTheNewValue() {
    ObjectNode old = obj("{'data':{'a':1},'other':1}");
    assertEquals(
        List.of(), ImmutableField.unchanged(obj("{'data':{'a':1},'other':2}"), old, "data"));

    List<FieldError> errors = ImmutableField.unchanged(obj("{'data':{'a':2}}"), old, "data");
    assertEquals(1, errors.size());
    FieldError error = errors.getFirst();
    assertEquals(FieldError.Type.INVALID, error.type());
    assertEquals("data", error.field());
    assertEquals("{\"a\":2}", error.badValue().toString());
    assertEquals("field is immutable", error.detail());
  }

  @Test
  void removingTheFieldIsAChangeToo() {
    assertEquals(
        "field is immutable",
        ImmutableField.unchanged(obj("{}"), obj("{'spec':{'x':'y'}}"), "spec").getFirst().detail());
  }
}
