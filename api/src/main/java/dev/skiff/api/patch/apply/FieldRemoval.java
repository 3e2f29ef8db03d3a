package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Removes the members of a field set from an object: fields, list elements or set values. */
public final class FieldRemoval {
  private FieldRemoval() {}

  /** Removes every path of {@code paths} from {@code obj} in place. */
  public static void remove(JsonNode obj, FieldSet paths, Shape shape) {
    for (List<PathElement> path : paths.members()) {
      removePath(obj, path, shape);
    }
  }

  private static void removePath(JsonNode node, List<PathElement> path, Shape shape) {
    if (path.isEmpty() || node == null) {
      return;
    }
    PathElement pe = path.get(0);
    List<PathElement> rest = path.subList(1, path.size());
    if (pe.kind() == PathElement.Kind.FIELD && node instanceof ObjectNode o) {
      if (rest.isEmpty()) {
        o.remove(pe.name());
      } else {
        removePath(o.get(pe.name()), rest, shape.child(pe.name()));
      }
      return;
    }
    if (!(node instanceof ArrayNode a) || !shape.granularList()) {
      return;
    }
    List<PathElement> items = shape.itemElements(a);
    int i = items == null ? -1 : items.indexOf(pe);
    if (i < 0) {
      return;
    }
    if (rest.isEmpty()) {
      a.remove(i);
    } else {
      removePath(a.get(i), rest, shape.element());
    }
  }
}
