package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a create sets, in one walk over the new object: the same set as comparing it with the zero
 * value of its type (whose top-level structs exist, so they are not counted themselves, while its
 * maps are nil, so a map such as a ConfigMap's {@code data} is counted), less the server-owned
 * paths and the subtrees the request cannot write. A create has nothing to compare with, so the
 * general comparison and its set algebra would only rebuild this set several times.
 */
final class CreatedFields {
  private CreatedFields() {}

  /**
   * The tracked fields of {@code obj}, an object whose {@code shape} is granular.
   *
   * @param stripped paths whose own membership is dropped (what lies below them is kept)
   * @param ignored paths dropped with everything below them
   */
  static FieldSet of(JsonNode obj, Shape shape, FieldSet stripped, FieldSet ignored) {
    FieldSet root = new FieldSet();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String name = e.getKey();
      JsonNode value = e.getValue();
      Shape child = shape.child(name);
      PathElement pe = PathElement.field(name);
      FieldSet ign = ignored.child(pe);
      if (ign != null && ign.isMember()) {
        continue;
      }
      FieldSet strip = stripped.child(pe);
      FieldSet node = new FieldSet();
      if (!value.isObject() || !shape.zeroValueHolds(name)) {
        added(value, child, node, strip, ign);
      } else if (child.granularObject()) {
        fields(value, child, node, strip, ign);
      } else if (!value.isEmpty()) {
        // An atomic struct differs from its zero value once it holds anything.
        mark(node, strip);
      }
      root.putIfNotEmpty(pe, node);
    }
    return root;
  }

  /** {@code value} appeared at {@code node}'s path: it and everything it holds were added. */
  private static void added(
      JsonNode value, Shape shape, FieldSet node, FieldSet stripped, FieldSet ignored) {
    if (shape.granularObject() && value.isObject()) {
      fields(value, shape, node, stripped, ignored);
    } else if (shape.granularList() && value.isArray()) {
      items(value, shape, node, stripped, ignored);
    }
    mark(node, stripped);
  }

  private static void fields(
      JsonNode obj, Shape shape, FieldSet node, FieldSet stripped, FieldSet ignored) {
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      PathElement pe = PathElement.field(e.getKey());
      descend(e.getValue(), shape.child(e.getKey()), node, pe, stripped, ignored);
    }
  }

  private static void items(
      JsonNode list, Shape shape, FieldSet node, FieldSet stripped, FieldSet ignored) {
    List<PathElement> pes = shape.itemElements(list);
    if (pes == null) {
      return;
    }
    boolean keyed = shape.kind() == Shape.Kind.LIST_MAP;
    Shape element = keyed ? shape.element() : null;
    for (int i = 0; i < pes.size(); i++) {
      if (keyed) {
        descend(list.get(i), element, node, pes.get(i), stripped, ignored);
      } else {
        FieldSet ign = ignored == null ? null : ignored.child(pes.get(i));
        if (ign == null || !ign.isMember()) {
          FieldSet item = new FieldSet();
          mark(item, stripped == null ? null : stripped.child(pes.get(i)));
          node.putIfNotEmpty(pes.get(i), item);
        }
      }
    }
  }

  private static void descend(
      JsonNode value,
      Shape shape,
      FieldSet parent,
      PathElement pe,
      FieldSet stripped,
      FieldSet ignored) {
    FieldSet ign = ignored == null ? null : ignored.child(pe);
    if (ign != null && ign.isMember()) {
      return;
    }
    FieldSet node = new FieldSet();
    added(value, shape, node, stripped == null ? null : stripped.child(pe), ign);
    parent.putIfNotEmpty(pe, node);
  }

  private static void mark(FieldSet node, FieldSet stripped) {
    if (stripped == null || !stripped.isMember()) {
      node.markMember();
    }
  }
}
