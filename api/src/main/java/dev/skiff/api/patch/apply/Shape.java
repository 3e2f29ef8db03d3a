package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.api.patch.PatchMeta;
import dev.skiff.api.schema.ModelType;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ReplicationControllerSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How server-side apply sees one place in an object: a leaf (scalars, and lists or structs that
 * upstream marks atomic), a struct of declared fields, a map of arbitrary keys, or a list whose
 * elements are told apart by key fields or by value. Derived from the fabric8 model and the merge
 * metadata in {@link PatchMeta}; parts without a model (custom resources, unknown fields) are
 * "deduced" as upstream does: objects are granular, lists atomic.
 */
public record Shape(Kind kind, ModelType type, List<String> keys) {

  public enum Kind {
    LEAF,
    STRUCT,
    MAP,
    DEDUCED,
    LIST_MAP,
    LIST_SET
  }

  // Structs upstream declares +structType=atomic: applied and owned as one value.
  private static final Set<Class<?>> ATOMIC_STRUCTS =
      Set.of(
          LabelSelector.class,
          LocalObjectReference.class,
          ObjectReference.class,
          TypedLocalObjectReference.class,
          NodeSelector.class);

  // Maps upstream declares +mapType=atomic: a selector is applied and owned as one value.
  private static final Map<Class<?>, String> ATOMIC_MAPS =
      Map.of(
          ServiceSpec.class, "selector",
          PodSpec.class, "nodeSelector",
          ReplicationControllerSpec.class, "selector");

  private static final Shape DEDUCED_SHAPE =
      new Shape(Kind.DEDUCED, new ModelType.Any(), List.of());
  private static final Shape LEAF_SHAPE = new Shape(Kind.LEAF, new ModelType.Any(), List.of());

  /** The shape of a whole object of {@code javaType}; null means no model (deduced). */
  public static Shape root(Class<?> javaType) {
    if (javaType == null) {
      return DEDUCED_SHAPE;
    }
    return of(ModelType.of(javaType), PatchMeta.NONE);
  }

  private static Shape of(ModelType type, PatchMeta meta) {
    return switch (type) {
      case ModelType.Struct s when ATOMIC_STRUCTS.contains(s.javaClass()) ->
          new Shape(Kind.LEAF, type, List.of());
      case ModelType.Struct s -> new Shape(Kind.STRUCT, type, List.of());
      case ModelType.Dictionary d -> new Shape(Kind.MAP, type, List.of());
      case ModelType.Array a when meta.merge() && !meta.mergeKey().isEmpty() ->
          new Shape(Kind.LIST_MAP, type, listMapKeys(meta.mergeKey()));
      case ModelType.Array a when meta.merge() -> new Shape(Kind.LIST_SET, type, List.of());
      case ModelType.Any a -> DEDUCED_SHAPE;
      default -> new Shape(Kind.LEAF, type, List.of());
    };
  }

  // Ports are told apart by number and protocol (x-kubernetes-list-map-keys), not number alone.
  private static List<String> listMapKeys(String mergeKey) {
    return mergeKey.equals("containerPort") || mergeKey.equals("port")
        ? List.of(mergeKey, "protocol")
        : List.of(mergeKey);
  }

  public boolean granularObject() {
    return kind == Kind.STRUCT || kind == Kind.MAP || kind == Kind.DEDUCED;
  }

  public boolean granularList() {
    return kind == Kind.LIST_MAP || kind == Kind.LIST_SET;
  }

  /** True when {@code name} is a declared field (not a map key or an unknown field). */
  public boolean declares(String name) {
    return type instanceof ModelType.Struct s && s.properties().containsKey(name);
  }

  /**
   * True when Go's zero value of this type already holds the declared field {@code name} as an
   * object: a struct exists there, while a map is nil.
   */
  public boolean zeroValueHolds(String name) {
    return declares(name) && child(name).kind() != Kind.MAP;
  }

  /** The shape of a field or map value. */
  public Shape child(String name) {
    return switch (type) {
      case ModelType.Struct s when kind == Kind.STRUCT -> {
        ModelType.Property p = s.properties().get(name);
        if (p == null) {
          yield DEDUCED_SHAPE;
        }
        if (name.equals(ATOMIC_MAPS.get(s.javaClass()))) {
          yield new Shape(Kind.LEAF, p.type(), List.of());
        }
        yield of(p.type(), PatchMeta.of(s.javaClass(), name));
      }
      case ModelType.Dictionary d -> of(d.values(), PatchMeta.NONE);
      default -> kind == Kind.DEDUCED ? DEDUCED_SHAPE : LEAF_SHAPE;
    };
  }

  /** The shape of a list's elements. */
  public Shape element() {
    return type instanceof ModelType.Array a ? of(a.items(), PatchMeta.NONE) : LEAF_SHAPE;
  }

  /**
   * The path element of each item of {@code list}, or null when the list must be handled as one
   * value (items without their keys, or two items with the same identity).
   */
  public List<PathElement> itemElements(JsonNode list) {
    List<PathElement> out = new java.util.ArrayList<>();
    Set<PathElement> seen = new java.util.HashSet<>();
    for (JsonNode item : list) {
      PathElement pe = itemElement(item);
      if (pe == null || !seen.add(pe)) {
        return null;
      }
      out.add(pe);
    }
    return out;
  }

  private PathElement itemElement(JsonNode item) {
    if (kind == Kind.LIST_SET) {
      return item.isValueNode() ? PathElement.value(item) : null;
    }
    if (!item.isObject()) {
      return null;
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (String k : keys) {
      JsonNode v = item.get(k);
      if ((v == null || v.isNull()) && k.equals("protocol")) {
        v = JsonNodeFactory.instance.textNode("TCP");
      }
      if (v == null || v.isNull()) {
        return null;
      }
      values.put(k, v);
    }
    return PathElement.key(values);
  }
}
