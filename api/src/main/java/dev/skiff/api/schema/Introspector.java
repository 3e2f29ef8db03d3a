package dev.skiff.api.schema;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Jackson's deserialization view of model classes, cached: the properties a body may carry. */
final class Introspector {
  private Introspector() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Bean plumbing fabric8 exposes that is not part of the JSON. */
  private static final Set<String> IGNORED = Set.of("additionalProperties");

  private static final Map<Class<?>, Map<String, ModelType.Property>> CACHE =
      new ConcurrentHashMap<>();

  private static final Map<Class<?>, ModelType> TYPES = new ConcurrentHashMap<>();

  /** The shape of a class, resolved once: every write asks for its resource's. */
  static ModelType modelType(Class<?> type) {
    // computeIfAbsent is safe here: resolving a type never asks this cache for another class.
    return TYPES.computeIfAbsent(type, t -> ModelType.of(MAPPER.constructType(t)));
  }

  static Map<String, ModelType.Property> properties(Class<?> type) {
    Map<String, ModelType.Property> cached = CACHE.get(type);
    if (cached == null) {
      // Not computeIfAbsent: introspecting a property's type may recurse into this cache.
      cached = introspect(type);
      CACHE.putIfAbsent(type, cached);
    }
    return cached;
  }

  private static Map<String, ModelType.Property> introspect(Class<?> type) {
    DeserializationConfig config = MAPPER.getDeserializationConfig();
    List<String> required = RequiredFields.of(type);
    Map<String, ModelType.Property> props = new LinkedHashMap<>();
    for (BeanPropertyDefinition p :
        config.introspect(MAPPER.constructType(type)).findProperties()) {
      if (IGNORED.contains(p.getName()) || p.getPrimaryType() == null) {
        continue;
      }
      props.put(
          p.getName(),
          new ModelType.Property(
              p.getName(),
              ModelType.of(p.getPrimaryType()),
              p.isRequired() || required.contains(p.getName())));
    }
    return Collections.unmodifiableMap(props);
  }
}
