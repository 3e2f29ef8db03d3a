package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * A set of field paths, kept as a tree: each node says whether its own path is in the set (a
 * member) and holds the nodes below it. This is what a {@code managedFields} entry's {@code
 * fieldsV1} encodes: {@code {}} for a member with nothing below, {@code ".": {}} for a member that
 * also has members below. Set operations act on members, path by path.
 */
public final class FieldSet {
  private boolean member;
  private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

  public FieldSet() {}

  public static FieldSet of(List<List<PathElement>> paths) {
    FieldSet s = new FieldSet();
    paths.forEach(s::insert);
    return s;
  }

  public void insert(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement pe : path) {
      node = node.children.computeIfAbsent(pe, k -> new FieldSet());
    }
    node.member = true;
  }

  public boolean contains(List<PathElement> path) {
    FieldSet node = descend(path);
    return node != null && node.member;
  }

  /** True when {@code path} or any path below it is a member. */
  public boolean containsOrHasBelow(List<PathElement> path) {
    FieldSet node = descend(path);
    return node != null && !node.isEmpty();
  }

  /** The members below {@code path} (relative to it), or null when none. */
  public FieldSet below(List<PathElement> path) {
    FieldSet node = descend(path);
    return node == null || node.isEmpty() ? null : node;
  }

  private FieldSet descend(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement pe : path) {
      node = node.children.get(pe);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  boolean isMember() {
    return member;
  }

  void markMember() {
    member = true;
  }

  /** The node for {@code pe} directly below this one, or null. */
  FieldSet child(PathElement pe) {
    return children.get(pe);
  }

  /** Hangs {@code node} below this one at {@code pe}, unless it holds no member. */
  void putIfNotEmpty(PathElement pe, FieldSet node) {
    if (!node.isEmpty()) {
      children.put(pe, node);
    }
  }

  public boolean isEmpty() {
    if (member) {
      return false;
    }
    for (FieldSet c : children.values()) {
      if (!c.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  public FieldSet union(FieldSet o) {
    return combine(this, o, (a, b) -> a || b);
  }

  public FieldSet intersection(FieldSet o) {
    return combine(this, o, (a, b) -> a && b);
  }

  public FieldSet difference(FieldSet o) {
    return combine(this, o, (a, b) -> a && !b);
  }

  /** This set less every member of {@code o} and everything below them. */
  public FieldSet recursiveDifference(FieldSet o) {
    FieldSet out = new FieldSet();
    out.member = member && !o.member;
    if (o.member) {
      return out;
    }
    children.forEach(
        (pe, c) -> {
          FieldSet oc = o.children.get(pe);
          FieldSet r = oc == null ? c.copy() : c.recursiveDifference(oc);
          if (!r.isEmpty()) {
            out.children.put(pe, r);
          }
        });
    return out;
  }

  private static FieldSet combine(FieldSet a, FieldSet b, BiPredicate<Boolean, Boolean> op) {
    FieldSet out = new FieldSet();
    out.member = op.test(a != null && a.member, b != null && b.member);
    TreeMap<PathElement, FieldSet> keys = new TreeMap<>();
    if (a != null) {
      keys.putAll(a.children);
    }
    if (b != null) {
      keys.putAll(b.children);
    }
    for (PathElement pe : keys.keySet()) {
      FieldSet r =
          combine(a == null ? null : a.children.get(pe), b == null ? null : b.children.get(pe), op);
      if (!r.isEmpty()) {
        out.children.put(pe, r);
      }
    }
    return out;
  }

  public FieldSet copy() {
    return combine(this, null, (a, b) -> a);
  }

  /** Every member path, parents before children, in upstream's order. */
  public List<List<PathElement>> members() {
    List<List<PathElement>> out = new ArrayList<>();
    collect(new ArrayList<>(), out);
    return out;
  }

  private void collect(List<PathElement> prefix, List<List<PathElement>> out) {
    if (member) {
      out.add(List.copyOf(prefix));
    }
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      prefix.add(e.getKey());
      e.getValue().collect(prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** The {@code fieldsV1} document of this set. */
  public ObjectNode toFieldsV1() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (member && !children.isEmpty()) {
      out.putObject(".");
    }
    children.forEach(
        (pe, c) -> {
          if (!c.isEmpty()) {
            out.set(pe.fieldsV1Key(), c.toFieldsV1());
          }
        });
    return out;
  }

  /** Reads a {@code fieldsV1} document; keys this server cannot parse are skipped. */
  public static FieldSet fromFieldsV1(JsonNode doc) {
    FieldSet s = new FieldSet();
    if (doc == null || !doc.isObject()) {
      return s;
    }
    if (doc.isEmpty()) {
      s.member = true;
      return s;
    }
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      if (e.getKey().equals(".")) {
        s.member = true;
        continue;
      }
      PathElement pe = PathElement.parse(e.getKey());
      if (pe != null) {
        s.children.put(pe, fromFieldsV1(e.getValue()));
      }
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && members().equals(f.members());
  }

  @Override
  public int hashCode() {
    return members().hashCode();
  }

  @Override
  public String toString() {
    return toFieldsV1().toString();
  }
}
