package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.prober.ProbeActions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import java.time.Duration;

/** Runs postStart and preStop handlers (exec, httpGet, tcpSocket, sleep). */
public final class LifecycleHooks {
  private final ProbeActions actions;

  public LifecycleHooks(ProbeActions actions) {
    this.actions = actions;
  }

  /** Null when the handler succeeded, else why it failed. */
  public String run(
      LifecycleHandler h, Container c, String containerId, String podIp, Duration timeout) {
    if (h.getExec() != null) {
      var r = actions.exec(containerId, h.getExec().getCommand(), timeout);
      return r.success() ? null : r.output();
    }
    if (h.getHttpGet() != null) {
      var r = actions.httpGet(h.getHttpGet(), c, podIp, timeout);
      return r.success() ? null : r.output();
    }
    if (h.getTcpSocket() != null) {
      String host =
          h.getTcpSocket().getHost() == null || h.getTcpSocket().getHost().isEmpty()
              ? podIp
              : h.getTcpSocket().getHost();
      var r = actions.tcp(host, h.getTcpSocket().getPort(), c, timeout);
      return r.success() ? null : r.output();
    }
    if (h.getSleep() != null) {
      long s = Math.min(h.getSleep().getSeconds(), timeout.toSeconds());
      try {
        Thread.sleep(Duration.ofSeconds(s));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
    return "handler has no action";
  }
}
