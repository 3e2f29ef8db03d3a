package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.framework.PluginRegistry;
import dev.skiff.scheduler.framework.PluginSet;
import dev.skiff.scheduler.framework.PluginSet.PluginRef;
import java.util.List;
import java.util.Set;

/** The in-tree plugins and upstream's default multiPoint set with its Score weights. */
public final class DefaultPlugins {
  private DefaultPlugins() {}

  public static PluginRegistry registry() {
    return new PluginRegistry()
        .register(PrioritySort.NAME, (args, h) -> new PrioritySort())
        .register(NodeUnschedulable.NAME, (args, h) -> new NodeUnschedulable())
        .register(NodeName.NAME, (args, h) -> new NodeName())
        .register(TaintToleration.NAME, (args, h) -> new TaintToleration())
        .register(NodeAffinity.NAME, (args, h) -> new NodeAffinity(args))
        .register(NodePorts.NAME, (args, h) -> new NodePorts())
        .register(NodeResourcesFit.NAME, (args, h) -> new NodeResourcesFit(args))
        .register(VolumeRestrictions.NAME, (args, h) -> new VolumeRestrictions(h))
        .register(NodeVolumeLimits.NAME, (args, h) -> new NodeVolumeLimits(h))
        .register(VolumeBinding.NAME, (args, h) -> new VolumeBinding(h))
        .register(PodTopologySpread.NAME, PodTopologySpread::new)
        .register(InterPodAffinity.NAME, InterPodAffinity::new)
        .register(DefaultPreemption.NAME, DefaultPreemption::new)
        .register(
            NodeResourcesBalancedAllocation.NAME,
            (args, h) -> new NodeResourcesBalancedAllocation(args))
        .register(ImageLocality.NAME, (args, h) -> new ImageLocality(h))
        .register(DefaultBinder.NAME, (args, h) -> new DefaultBinder(h));
  }

  /** Upstream's default profile, in its order. */
  public static PluginSet multiPoint() {
    return new PluginSet(
        List.of(
            new PluginRef(PrioritySort.NAME, 0),
            new PluginRef(NodeUnschedulable.NAME, 0),
            new PluginRef(NodeName.NAME, 0),
            new PluginRef(TaintToleration.NAME, 3),
            new PluginRef(NodeAffinity.NAME, 2),
            new PluginRef(NodePorts.NAME, 0),
            new PluginRef(NodeResourcesFit.NAME, 1),
            new PluginRef(VolumeRestrictions.NAME, 0),
            new PluginRef(NodeVolumeLimits.NAME, 0),
            new PluginRef(VolumeBinding.NAME, 0),
            new PluginRef(PodTopologySpread.NAME, 2),
            new PluginRef(InterPodAffinity.NAME, 2),
            new PluginRef(DefaultPreemption.NAME, 0),
            new PluginRef(NodeResourcesBalancedAllocation.NAME, 1),
            new PluginRef(ImageLocality.NAME, 1),
            new PluginRef(DefaultBinder.NAME, 0)),
        Set.of());
  }
}
