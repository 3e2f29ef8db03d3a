package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.schema.ModelType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drops empty maps and lists from optional fields of built-in kinds, as upstream does: its Go types
 * tag them {@code omitempty}, so {@code labels: {}} or {@code env: []} sent by a client are not
 * stored or returned. Required fields and custom resources keep what was sent.
 */
final class OmitEmpty {
  private OmitEmpty() {}

  static void apply(ObjectNode obj, Class<?> javaType) {
    if (javaType == null || javaType == GenericKubernetesResource.class) {
      return;
    }
    visit(obj, ModelType.of(javaType));
  }

  private static void visit(JsonNode node, ModelType type) {
    switch (type) {
      case ModelType.Struct s when node instanceof ObjectNode o -> {
        Map<String, ModelType.Property> props = s.properties();
        List<String> drop = new ArrayList<>();
        o.properties()
            .forEach(
                e -> {
                  ModelType.Property p = props.get(e.getKey());
                  if (p == null) {
                    return;
                  }
                  JsonNode v = e.getValue();
                  boolean collection =
                      p.type() instanceof ModelType.Dictionary
                          || p.type() instanceof ModelType.Array;
                  if (collection && !p.required() && v.isContainerNode() && v.isEmpty()) {
                    drop.add(e.getKey());
                  } else {
                    visit(v, p.type());
                  }
                });
        drop.forEach(o::remove);
      }
      case ModelType.Array a when node.isArray() -> node.forEach(item -> visit(item, a.items()));
      case ModelType.Dictionary d when node.isObject() ->
          node.forEach(value -> visit(value, d.values()));
      default -> {}
    }
  }
}
