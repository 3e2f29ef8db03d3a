package dev.skiff.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Plugin factories by name; out-of-tree plugins register here next to the defaults. */
public final class PluginRegistry {
  private final Map<String, PluginFactory> factories = new LinkedHashMap<>();

  public PluginRegistry register(String name, PluginFactory factory) {
    if (factories.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException("a plugin named " + name + " already exists");
    }
    return this;
  }

  public Set<String> names() {
    return factories.keySet();
  }

  /**
   * @throws IllegalArgumentException when no plugin has this name or its args are invalid
   */
  public Plugin create(String name, JsonNode args, Handle handle) {
    PluginFactory f = factories.get(name);
    if (f == null) {
      throw new IllegalArgumentException("plugin \"" + name + "\" does not exist");
    }
    return f.create(args, handle);
  }
}
