package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two versions of an object, path by path, as upstream's Compare: leaves that
 * appeared (added), changed (modified) or went away (removed), and objects or list elements that
 * appeared or went away as a whole.
 */
public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

  public static Comparison of(JsonNode before, JsonNode after, Shape shape) {
    Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    c.compare(before, after, shape, new ArrayList<>());
    return c;
  }

  /** Added or modified: what a writer set. */
  public FieldSet changed() {
    return added.union(modified);
  }

  private void compare(JsonNode l, JsonNode r, Shape shape, List<PathElement> path) {
    if (l == null && r == null) {
      return;
    }
    boolean objects =
        shape.granularObject() && (l == null || l.isObject()) && (r == null || r.isObject());
    boolean lists =
        shape.granularList() && (l == null || l.isArray()) && (r == null || r.isArray());
    if (objects) {
      Set<String> names = new LinkedHashSet<>();
      if (l != null) {
        l.fieldNames().forEachRemaining(names::add);
      }
      if (r != null) {
        r.fieldNames().forEachRemaining(names::add);
      }
      for (String n : names) {
        path.add(PathElement.field(n));
        compare(l == null ? null : l.get(n), r == null ? null : r.get(n), shape.child(n), path);
        path.remove(path.size() - 1);
      }
    } else if (lists && compareItems(l, r, shape, path)) {
      // compared element by element
    } else {
      if (l == null) {
        added.insert(path);
      } else if (r == null) {
        removed.insert(path);
      } else if (!l.equals(r)) {
        modified.insert(path);
      }
      return;
    }
    if (l == null) {
      added.insert(path);
    } else if (r == null) {
      removed.insert(path);
    }
  }

  private boolean compareItems(JsonNode l, JsonNode r, Shape shape, List<PathElement> path) {
    Map<PathElement, JsonNode> left = index(l, shape);
    Map<PathElement, JsonNode> right = index(r, shape);
    if (left == null || right == null) {
      return false;
    }
    Set<PathElement> all = new LinkedHashSet<>(left.keySet());
    all.addAll(right.keySet());
    Shape element = shape.kind() == Shape.Kind.LIST_MAP ? shape.element() : Shape.root(null);
    for (PathElement pe : all) {
      path.add(pe);
      JsonNode li = left.get(pe);
      JsonNode ri = right.get(pe);
      if (shape.kind() == Shape.Kind.LIST_MAP) {
        compare(li, ri, element, path);
      } else if (li == null) {
        added.insert(path);
      } else if (ri == null) {
        removed.insert(path);
      }
      path.remove(path.size() - 1);
    }
    return true;
  }

  private static Map<PathElement, JsonNode> index(JsonNode list, Shape shape) {
    Map<PathElement, JsonNode> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    List<PathElement> pes = shape.itemElements(list);
    if (pes == null) {
      return null;
    }
    for (int i = 0; i < pes.size(); i++) {
      out.put(pes.get(i), list.get(i));
    }
    return out;
  }
}
