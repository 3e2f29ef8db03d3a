package dev.skiff.api.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "n", "5");

  @Test
  void equalityAndInequality() {
    assertTrue(LabelSelector.parse("app=web").matches(WEB));
    assertTrue(LabelSelector.parse("app==web,tier=front").matches(WEB));
    assertFalse(LabelSelector.parse("app!=web").matches(WEB));
    assertTrue(LabelSelector.parse("other!=x").matches(WEB));
  }

  @Test
  void setBasedAndExistence() {
    assertTrue(LabelSelector.parse("app in (db, web)").matches(WEB));
    assertFalse(LabelSelector.parse("app notin (db,web)").matches(WEB));
    assertTrue(LabelSelector.parse("tier,!missing").matches(WEB));
    assertFalse(LabelSelector.parse("!tier").matches(WEB));
    assertTrue(LabelSelector.parse("n>4,n<6").matches(WEB));
  }

  @Test
  void emptySelectsEverything() {
    assertTrue(LabelSelector.parse("").matches(Map.of()));
    assertTrue(LabelSelector.parse(null).isEverything());
  }

  @Test
  void malformedSelectorsAreRejectedWithAReason() {
    var e = assertThrows(SelectorParseException.class, () -> LabelSelector.parse("app web"));
    assertTrue(e.getMessage().startsWith("unable to parse requirement"), e.getMessage());
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("app in web"));
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("-bad=x"));
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("a=b c"));
  }

  @Test
  void metav1LabelSelectorObject() throws Exception {
    var json =
        new ObjectMapper()
            .readTree(
                "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":"
                    + "[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"front\"]},"
                    + "{\"key\":\"gone\",\"operator\":\"DoesNotExist\"}]}");
    LabelSelector s = LabelSelector.fromJson(json);
    assertTrue(s.matches(WEB));
    assertEquals("app=web,tier in (front),!gone", s.toString());
    assertFalse(LabelSelector.fromJson(null).matches(WEB));
    assertTrue(LabelSelector.fromJson(new ObjectMapper().createObjectNode()).matches(WEB));
  }

  @Test
  void fieldSelectors() throws Exception {
    FieldSelector f = FieldSelector.parse("metadata.name=a\\,b,spec.nodeName!=");
    assertTrue(f.matches(Map.of("metadata.name", "a,b", "spec.nodeName", "n1")));
    assertFalse(f.matches(Map.of("metadata.name", "a,b")));
    var pod =
        new ObjectMapper()
            .readTree("{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Running\"}}");
    var fields = SelectableFields.of(pod, "", "Pod");
    assertTrue(FieldSelector.parse("status.phase=Running").matches(fields));
    var e =
        assertThrows(
            SelectorParseException.class,
            () -> SelectableFields.check(FieldSelector.parse("spec.bogus=1"), "", "ConfigMap"));
    assertEquals("field label not supported: spec.bogus", e.getMessage());
  }
}
