package dev.skiff.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One scheduling profile as configured: pods whose {@code spec.schedulerName} equals {@code
 * schedulerName} are scheduled with these plugins.
 *
 * @param percentageOfNodesToScore null to use the global setting
 * @param multiPoint plugins enabled at every extension point they implement, defaults merged in
 * @param points per-extension-point overrides
 * @param pluginArgs {@code pluginConfig} args by plugin name
 */
public record ProfileConfig(
    String schedulerName,
    Integer percentageOfNodesToScore,
    PluginSet multiPoint,
    Map<ExtensionPoint, PluginSet> points,
    Map<String, JsonNode> pluginArgs) {

  public ProfileConfig {
    points = Map.copyOf(points);
    pluginArgs = Map.copyOf(pluginArgs);
  }

  public PluginSet at(ExtensionPoint point) {
    return points.getOrDefault(point, PluginSet.EMPTY);
  }
}
