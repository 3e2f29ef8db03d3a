package dev.skiff.scheduler.framework;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skiff.scheduler.framework.PluginSet.PluginRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a KubeSchedulerConfiguration YAML as {@code kube-scheduler --config} does, merging each
 * profile's plugins with upstream's defaults. Invalid input fails with the offending field's path.
 */
public final class SchedulerConfigurationParser {
  public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
  public static final String KIND = "KubeSchedulerConfiguration";
  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SchedulerConfigurationParser() {}

  public static SchedulerConfiguration parse(Path file, PluginSet defaultMultiPoint)
      throws IOException {
    return parse(Files.readString(file), defaultMultiPoint);
  }

  /**
   * @param defaultMultiPoint the plugins every profile starts from
   * @throws IllegalArgumentException describing the first invalid field
   */
  public static SchedulerConfiguration parse(String yaml, PluginSet defaultMultiPoint) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "couldn't decode as KubeSchedulerConfiguration: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "couldn't decode as KubeSchedulerConfiguration: not an object");
    }
    String apiVersion = root.path("apiVersion").asText(API_VERSION);
    String kind = root.path("kind").asText(KIND);
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new IllegalArgumentException(
          "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
    }
    int percentage = percentage(root.path("percentageOfNodesToScore"), "percentageOfNodesToScore");
    Duration initial = Duration.ofSeconds(positiveLong(root, "podInitialBackoffSeconds", 1));
    Duration max = Duration.ofSeconds(positiveLong(root, "podMaxBackoffSeconds", 10));
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "podMaxBackoffSeconds: Invalid value: "
              + max.toSeconds()
              + ": must be greater than or equal to PodInitialBackoffSeconds");
    }
    List<ProfileConfig> profiles = new ArrayList<>();
    JsonNode ps = root.path("profiles");
    if (ps.isMissingNode() || ps.isNull() || ps.isEmpty()) {
      profiles.add(profile(YAML.createObjectNode(), "profiles[0]", defaultMultiPoint));
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < ps.size(); i++) {
        ProfileConfig p = profile(ps.get(i), "profiles[" + i + "]", defaultMultiPoint);
        if (!names.add(p.schedulerName())) {
          throw new IllegalArgumentException(
              "profiles[" + i + "].schedulerName: Duplicate value: \"" + p.schedulerName() + "\"");
        }
        profiles.add(p);
      }
    }
    return new SchedulerConfiguration(
        percentage, initial, max, profiles, leaderElection(root.path("leaderElection")));
  }

  private static int percentage(JsonNode n, String path) {
    if (n.isMissingNode() || n.isNull()) {
      return 0;
    }
    if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 100) {
      throw new IllegalArgumentException(
          path + ": Invalid value: " + n + ": not in valid range [0-100]");
    }
    return n.asInt();
  }

  private static long positiveLong(JsonNode root, String field, long def) {
    JsonNode n = root.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return def;
    }
    if (!n.canConvertToLong() || n.asLong() <= 0) {
      throw new IllegalArgumentException(
          field + ": Invalid value: " + n + ": must be greater than 0");
    }
    return n.asLong();
  }

  private static ProfileConfig profile(JsonNode p, String path, PluginSet defaults) {
    String name = p.path("schedulerName").asText(DEFAULT_SCHEDULER_NAME);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(path + ".schedulerName: Required value");
    }
    Integer percentage =
        p.has("percentageOfNodesToScore")
            ? percentage(p.path("percentageOfNodesToScore"), path + ".percentageOfNodesToScore")
            : null;
    JsonNode plugins = p.path("plugins");
    PluginSet userMulti = pluginSet(plugins.path("multiPoint"), path + ".plugins.multiPoint");
    Map<ExtensionPoint, PluginSet> points = new EnumMap<>(ExtensionPoint.class);
    for (ExtensionPoint e : ExtensionPoint.values()) {
      JsonNode n = plugins.path(e.configName());
      if (!n.isMissingNode()) {
        points.put(e, pluginSet(n, path + ".plugins." + e.configName()));
      }
    }
    Map<String, JsonNode> args = new HashMap<>();
    JsonNode pc = p.path("pluginConfig");
    for (int i = 0; i < pc.size(); i++) {
      String plugin = pc.get(i).path("name").asText("");
      if (plugin.isEmpty()) {
        throw new IllegalArgumentException(path + ".pluginConfig[" + i + "].name: Required value");
      }
      if (args.put(
              plugin,
              pc.get(i).path("args").isNull() ? MissingNode.getInstance() : pc.get(i).path("args"))
          != null) {
        throw new IllegalArgumentException(
            path + ".pluginConfig[" + i + "]: Duplicate value: \"" + plugin + "\"");
      }
    }
    return new ProfileConfig(name, percentage, mergeMultiPoint(defaults, userMulti), points, args);
  }

  // Upstream's mergePlugins: defaults minus disabled ones, user entries replacing same-named
  // defaults in place (e.g. a new weight), then the user's other plugins.
  private static PluginSet mergeMultiPoint(PluginSet defaults, PluginSet user) {
    List<PluginRef> merged = new ArrayList<>();
    Map<String, PluginRef> userByName = new HashMap<>();
    user.enabled().forEach(r -> userByName.put(r.name(), r));
    Set<String> used = new LinkedHashSet<>();
    for (PluginRef d : defaults.enabled()) {
      if (user.disables(d.name())) {
        continue;
      }
      PluginRef replacement = userByName.get(d.name());
      merged.add(replacement == null ? d : replacement);
      used.add(d.name());
    }
    for (PluginRef r : user.enabled()) {
      if (!used.contains(r.name())) {
        merged.add(r);
      }
    }
    return new PluginSet(merged, Set.of());
  }

  private static PluginSet pluginSet(JsonNode n, String path) {
    List<PluginRef> enabled = new ArrayList<>();
    Set<String> disabled = new HashSet<>();
    JsonNode en = n.path("enabled");
    for (int i = 0; i < en.size(); i++) {
      String name = en.get(i).path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(path + ".enabled[" + i + "].name: Required value");
      }
      int weight = en.get(i).path("weight").asInt(0);
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException(
            path
                + ".enabled["
                + i
                + "].weight: Invalid value: "
                + weight
                + ": must be in the range [0, 100]");
      }
      enabled.add(new PluginRef(name, weight));
    }
    n.path("disabled").forEach(d -> disabled.add(d.path("name").asText()));
    return new PluginSet(enabled, disabled);
  }

  private static SchedulerConfiguration.LeaderElection leaderElection(JsonNode n) {
    var d = SchedulerConfiguration.LeaderElection.DEFAULT;
    if (n.isMissingNode() || n.isNull()) {
      return d;
    }
    return new SchedulerConfiguration.LeaderElection(
        n.path("leaderElect").asBoolean(d.leaderElect()),
        duration(n, "leaseDuration", d.leaseDuration()),
        duration(n, "renewDeadline", d.renewDeadline()),
        duration(n, "retryPeriod", d.retryPeriod()),
        n.path("resourceNamespace").asText(d.resourceNamespace()),
        n.path("resourceName").asText(d.resourceName()));
  }

  // Go durations as used in these files: "15s", "2m", "1m30s", "500ms".
  static Duration duration(JsonNode parent, String field, Duration def) {
    JsonNode n = parent.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return def;
    }
    String s = n.asText().trim();
    var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(s);
    long millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      millis +=
          (long)
              switch (m.group(2)) {
                case "h" -> v * 3_600_000;
                case "m" -> v * 60_000;
                case "s" -> v * 1000;
                default -> v;
              };
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException(
          "leaderElection." + field + ": Invalid value: \"" + s + "\": time: invalid duration",
          new DateTimeParseException("invalid duration", s, end));
    }
    return Duration.ofMillis(millis);
  }
}
