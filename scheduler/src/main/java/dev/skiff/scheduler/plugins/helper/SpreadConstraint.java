package dev.skiff.scheduler.plugins.helper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.selection.LabelRequirement;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.scheduler.cache.ClusterObjects;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod topology spread constraint resolved for one pod: its own, or the profile's defaults with a
 * selector built from the pod's Services and controller, as upstream's DefaultSelector.
 *
 * @param hard DoNotSchedule (filter) rather than ScheduleAnyway (score)
 * @param selector which pods count; already includes matchLabelKeys
 */
public record SpreadConstraint(
    int maxSkew,
    String topologyKey,
    boolean hard,
    LabelSelector selector,
    int minDomains,
    boolean honorNodeAffinity,
    boolean honorTaints) {
  public static final String HOSTNAME = "kubernetes.io/hostname";

  private static final List<SpreadConstraint> SYSTEM_DEFAULTS =
      List.of(
          new SpreadConstraint(3, HOSTNAME, false, null, 1, true, false),
          new SpreadConstraint(5, "topology.kubernetes.io/zone", false, null, 1, true, false));

  /**
   * The defaults of PodTopologySpreadArgs: upstream's system defaults for {@code defaultingType:
   * System}, the listed {@code defaultConstraints} for {@code List}.
   */
  public static List<SpreadConstraint> defaultsFromArgs(JsonNode args) {
    String defaulting = args.path("defaultingType").asText("System");
    if ("System".equals(defaulting)) {
      if (args.has("defaultConstraints") && !args.path("defaultConstraints").isEmpty()) {
        throw new IllegalArgumentException(
            "defaultConstraints: Invalid value: when .defaultingType is \"System\","
                + " .defaultConstraints must be empty");
      }
      return SYSTEM_DEFAULTS;
    }
    if (!"List".equals(defaulting)) {
      throw new IllegalArgumentException(
          "defaultingType: Unsupported value: \""
              + defaulting
              + "\": supported values: \"System\", \"List\"");
    }
    List<SpreadConstraint> list = new ArrayList<>();
    for (JsonNode c : args.path("defaultConstraints")) {
      list.add(
          new SpreadConstraint(
              c.path("maxSkew").asInt(1),
              c.path("topologyKey").asText(),
              "DoNotSchedule".equals(c.path("whenUnsatisfiable").asText()),
              null,
              1,
              true,
              false));
    }
    return List.copyOf(list);
  }

  /** The pod's own constraints, or the defaults when it has none and belongs to something. */
  public static List<SpreadConstraint> of(
      Pod pod, List<SpreadConstraint> defaults, ClusterObjects objects) {
    List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
    List<SpreadConstraint> out = new ArrayList<>();
    if (own != null && !own.isEmpty()) {
      for (TopologySpreadConstraint c : own) {
        out.add(
            new SpreadConstraint(
                c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
                c.getTopologyKey(),
                "DoNotSchedule".equals(c.getWhenUnsatisfiable()),
                withMatchLabelKeys(pod, c),
                c.getMinDomains() == null ? 1 : c.getMinDomains(),
                !"Ignore".equals(c.getNodeAffinityPolicy()),
                "Honor".equals(c.getNodeTaintsPolicy())));
      }
      return out;
    }
    LabelSelector selector = defaultSelector(pod, objects);
    if (selector.isEverything()) {
      return List.of();
    }
    for (SpreadConstraint c : defaults) {
      out.add(
          new SpreadConstraint(c.maxSkew(), c.topologyKey(), c.hard(), selector, 1, true, false));
    }
    return out;
  }

  private static LabelSelector withMatchLabelKeys(Pod pod, TopologySpreadConstraint c) {
    LabelSelector base = LabelSelector.fromModel(c.getLabelSelector());
    if (c.getMatchLabelKeys() == null || c.getMatchLabelKeys().isEmpty() || base.isNothing()) {
      return base;
    }
    List<LabelRequirement> reqs = new ArrayList<>(base.requirements());
    Map<String, String> labels = pod.getMetadata().getLabels();
    for (String key : c.getMatchLabelKeys()) {
      if (labels != null && labels.containsKey(key)) {
        reqs.add(new LabelRequirement(key, LabelRequirement.Operator.IN, List.of(labels.get(key))));
      }
    }
    return LabelSelector.of(reqs);
  }

  private static LabelSelector defaultSelector(Pod pod, ClusterObjects objects) {
    List<LabelRequirement> reqs = new ArrayList<>();
    Map<String, String> merged = new HashMap<>();
    objects.serviceSelectorsFor(pod).forEach(merged::putAll);
    merged.forEach(
        (k, v) -> reqs.add(new LabelRequirement(k, LabelRequirement.Operator.EQUALS, List.of(v))));
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null) {
      for (OwnerReference o : owners) {
        if (Boolean.TRUE.equals(o.getController())) {
          LabelSelector s =
              objects.controllerSelector(
                  o.getKind(), pod.getMetadata().getNamespace(), o.getName());
          if (s != null && !s.isNothing()) {
            reqs.addAll(s.requirements());
          }
        }
      }
    }
    return LabelSelector.of(reqs);
  }
}
