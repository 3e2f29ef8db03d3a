package dev.skiff.scheduler.framework;

import java.util.List;
import java.util.Set;

/**
 * The plugins a profile enables and disables at one extension point (or at multiPoint).
 *
 * @param disabled names, or "*" for every default plugin
 */
public record PluginSet(List<PluginRef> enabled, Set<String> disabled) {
  public static final PluginSet EMPTY = new PluginSet(List.of(), Set.of());

  /**
   * @param weight the Score weight; 0 means "not set" and becomes 1
   */
  public record PluginRef(String name, int weight) {}

  public PluginSet {
    enabled = List.copyOf(enabled);
    disabled = Set.copyOf(disabled);
  }

  public boolean disables(String name) {
    return disabled.contains("*") || disabled.contains(name);
  }
}
