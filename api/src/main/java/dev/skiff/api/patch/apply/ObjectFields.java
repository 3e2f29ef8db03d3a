package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields an object sets, as upstream's ToFieldSet: every leaf, every list element, every map
 * entry (a key of a map or of an unknown object) and every empty or null object field.
 */
public final class ObjectFields {
  private ObjectFields() {}

  public static FieldSet of(JsonNode obj, Shape shape) {
    FieldSet set = new FieldSet();
    visit(obj, shape, new ArrayList<>(), set);
    return set;
  }

  private static void visit(JsonNode v, Shape shape, List<PathElement> path, FieldSet set) {
    if (v.isObject() && shape.granularObject()) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        path.add(PathElement.field(e.getKey()));
        JsonNode child = e.getValue();
        visit(child, shape.child(e.getKey()), path, set);
        if (child.isNull() || child.isObject() && child.isEmpty() || !shape.declares(e.getKey())) {
          set.insert(path);
        }
        path.remove(path.size() - 1);
      }
      return;
    }
    List<PathElement> items = v.isArray() && shape.granularList() ? shape.itemElements(v) : null;
    if (items == null) {
      set.insert(path);
      return;
    }
    Shape element = shape.element();
    for (int i = 0; i < items.size(); i++) {
      path.add(items.get(i));
      if (shape.kind() == Shape.Kind.LIST_MAP) {
        visit(v.get(i), element, path, set);
      }
      set.insert(path);
      path.remove(path.size() - 1);
    }
  }
}
