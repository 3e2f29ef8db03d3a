package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;

/** Binds through the API server's {@code pods/binding} subresource. */
public final class DefaultBinder implements BindPlugin {
  public static final String NAME = "DefaultBinder";
  private final Handle handle;

  public DefaultBinder(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status bind(CycleState state, Pod pod, String nodeName) {
    try {
      handle.client().bind(pod, nodeName);
      return Status.SUCCESS;
    } catch (RuntimeException e) {
      return Status.error(e);
    }
  }
}
