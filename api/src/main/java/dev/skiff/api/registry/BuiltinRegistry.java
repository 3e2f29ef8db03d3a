package dev.skiff.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources kube-apiserver serves out of the box, each with its strategy. Immutable: custom
 * resources will live in a registry layered over this one.
 */
public final class BuiltinRegistry implements ResourceRegistry {

  private final List<ResourceType> all;
  private final List<ApiGroupVersions> groups;
  private final Map<String, ResourceType> byPlural = new HashMap<>();
  private final Map<String, ResourceType> byKind = new HashMap<>();
  private final Map<String, ResourceStrategy> strategies = new HashMap<>();
  // Asked several times per request: answered for the registry's own types without building keys.
  private final Map<ResourceType, ResourceType> storageTypes = new IdentityHashMap<>();
  private final Map<ResourceType, ResourceStrategy> strategyOf = new IdentityHashMap<>();

  public BuiltinRegistry() {
    List<ResourceType> types = BuiltinResources.all();
    List<ResourceType> ordered = new ArrayList<>();
    List<ApiGroupVersions> groupList = new ArrayList<>();
    for (List<String> gv : BuiltinResources.GROUP_VERSIONS) {
      String group = gv.getFirst();
      List<String> versions = gv.subList(1, gv.size());
      groupList.add(new ApiGroupVersions(group, List.copyOf(versions)));
      for (String version : versions) {
        types.stream()
            .filter(t -> t.group().equals(group) && t.version().equals(version))
            .sorted(Comparator.comparing(ResourceType::plural))
            .forEach(ordered::add);
      }
    }
    if (ordered.size() != types.size()) {
      throw new IllegalStateException("a built-in resource is in no served group-version");
    }
    this.all = Collections.unmodifiableList(ordered);
    this.groups = Collections.unmodifiableList(groupList);
    for (ResourceType t : ordered) {
      byPlural.put(key(t.group(), t.version(), t.plural()), t);
      byKind.put(key(t.group(), t.version(), t.kind()), t);
      strategies.computeIfAbsent(t.group() + "/" + t.plural(), k -> KindStrategies.of(t));
    }
    for (ResourceType t : ordered) {
      ResourceType stored = storedAs(t);
      storageTypes.put(t, stored);
      strategyOf.put(t, strategies.get(stored.group() + "/" + stored.plural()));
    }
  }

  @Override
  public Collection<ResourceType> all() {
    return all;
  }

  @Override
  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byPlural.get(key(group, version, plural)));
  }

  @Override
  public Optional<ResourceType> findByKind(String group, String version, String kind) {
    return Optional.ofNullable(byKind.get(key(group, version, kind)));
  }

  @Override
  public List<ApiGroupVersions> groups() {
    return groups;
  }

  @Override
  public ResourceStrategy strategy(ResourceType type) {
    ResourceStrategy known = strategyOf.get(type);
    if (known != null) {
      return known;
    }
    ResourceType stored = storageType(type);
    ResourceStrategy s = strategies.get(stored.group() + "/" + stored.plural());
    if (s == null) {
      throw new IllegalArgumentException(
          "not a built-in resource: " + type.groupVersion() + " " + type.plural());
    }
    return s;
  }

  /**
   * Events of events.k8s.io are stored with the core ones, as upstream does, so both APIs see the
   * same objects; every other resource is stored at its own storage version.
   */
  @Override
  public ResourceType storageType(ResourceType type) {
    ResourceType known = storageTypes.get(type);
    return known != null ? known : storedAs(type);
  }

  private ResourceType storedAs(ResourceType type) {
    if (type.group().equals("events.k8s.io") && type.plural().equals("events")) {
      return byPlural.get(key("", "v1", "events"));
    }
    return ResourceRegistry.super.storageType(type);
  }

  /**
   * Converts by the object's own apiVersion, so a body is converted correctly whichever served
   * version wrote it; {@code from} only names the resource.
   */
  @Override
  public ObjectNode convert(ObjectNode obj, ResourceType from, ResourceType to) {
    String actual = obj.path("apiVersion").asText(from.groupVersion());
    ObjectNode out;
    if (to.plural().equals("horizontalpodautoscalers") && to.group().equals("autoscaling")) {
      boolean isV1 = actual.equals("autoscaling/v1");
      if (to.version().equals("v1")) {
        out = isV1 ? obj.deepCopy() : HpaConversion.toV1(obj);
      } else {
        out = isV1 ? HpaConversion.toV2(obj) : obj.deepCopy();
      }
    } else if (to.plural().equals("events") && to.group().equals("events.k8s.io")) {
      out = actual.equals("v1") ? EventConversion.toEventsV1(obj) : obj.deepCopy();
    } else if (to.plural().equals("events") && to.group().isEmpty()) {
      out = actual.equals("events.k8s.io/v1") ? EventConversion.toCore(obj) : obj.deepCopy();
    } else {
      out = obj.deepCopy();
    }
    ObjectNode typed = out.objectNode();
    typed.put("apiVersion", to.groupVersion());
    typed.put("kind", to.kind());
    out.remove("apiVersion");
    out.remove("kind");
    typed.setAll(out);
    return typed;
  }

  private static String key(String group, String version, String name) {
    return group + "/" + version + "/" + name;
  }
}
