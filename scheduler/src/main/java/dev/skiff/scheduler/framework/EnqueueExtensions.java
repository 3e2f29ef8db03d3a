package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * Implemented by plugins that can reject pods: the events after which a pod they rejected may fit,
 * so the queue moves it back from the unschedulable set only then.
 */
public interface EnqueueExtensions {
  List<ClusterEvent> eventsToRegister();
}
