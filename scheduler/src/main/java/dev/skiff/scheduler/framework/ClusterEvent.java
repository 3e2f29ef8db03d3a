package dev.skiff.scheduler.framework;

/**
 * A change in the cluster that may make an unschedulable pod schedulable; plugins register the
 * events that can undo their rejections, so the queue retries pods only when it may help.
 */
public record ClusterEvent(Kind kind, Action action) {
  public enum Kind {
    /** A pod bound to a node (its resources, ports and labels count for other pods). */
    ASSIGNED_POD,
    /** A pod waiting to be scheduled. */
    UNSCHEDULED_POD,
    NODE,
    PERSISTENT_VOLUME,
    PERSISTENT_VOLUME_CLAIM,
    STORAGE_CLASS,
    CSI_NODE,
    NAMESPACE
  }

  public enum Action {
    ADD,
    DELETE,
    /** Any update; a registration for UPDATE matches every finer update action. */
    UPDATE,
    UPDATE_NODE_ALLOCATABLE,
    UPDATE_NODE_LABEL,
    UPDATE_NODE_TAINT,
    UPDATE_NODE_CONDITION
  }

  public static final ClusterEvent NODE_ADD = new ClusterEvent(Kind.NODE, Action.ADD);
  public static final ClusterEvent ASSIGNED_POD_DELETE =
      new ClusterEvent(Kind.ASSIGNED_POD, Action.DELETE);

  /** Whether a plugin registered for this event should react to {@code happened}. */
  public boolean covers(ClusterEvent happened) {
    if (kind != happened.kind) {
      return false;
    }
    return action == happened.action
        || (action == Action.UPDATE
            && happened.action != Action.ADD
            && happened.action != Action.DELETE);
  }

  @Override
  public String toString() {
    return kind + "/" + action;
  }
}
