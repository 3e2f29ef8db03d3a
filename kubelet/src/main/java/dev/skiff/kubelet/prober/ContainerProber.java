package dev.skiff.kubelet.prober;

import dev.skiff.kubelet.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.Objects;

/**
 * The probes of one running container. Startup runs first; liveness and readiness only once it
 * succeeded, each on its own period after its initial delay.
 */
final class ContainerProber implements AutoCloseable {
  private final Pod pod;
  private final Container c;
  private final String containerId;
  private final String podIp;
  private final ProbeActions actions;
  private final EventRecorder events;
  private final Runnable changed;
  private final ProbeCounter startup;
  private final ProbeCounter liveness;
  private final ProbeCounter readiness;
  private volatile boolean closed;
  private Thread thread;

  ContainerProber(
      Pod pod,
      Container c,
      String containerId,
      String podIp,
      ProbeActions actions,
      EventRecorder events,
      Runnable changed) {
    this.pod = pod;
    this.c = c;
    this.containerId = containerId;
    this.podIp = podIp;
    this.actions = actions;
    this.events = events;
    this.changed = changed;
    this.startup = counter(c.getStartupProbe(), null);
    this.liveness = counter(c.getLivenessProbe(), true);
    this.readiness = counter(c.getReadinessProbe(), false);
  }

  private static ProbeCounter counter(Probe p, Boolean initial) {
    if (p == null) {
      return null;
    }
    return new ProbeCounter(
        p.getSuccessThreshold() == null ? 1 : p.getSuccessThreshold(),
        p.getFailureThreshold() == null ? 3 : p.getFailureThreshold(),
        initial);
  }

  String containerName() {
    return c.getName();
  }

  boolean hasStartupProbe() {
    return startup != null;
  }

  synchronized boolean startedUp() {
    return startup == null || Boolean.TRUE.equals(startup.verdict());
  }

  synchronized Boolean ready() {
    if (readiness == null) {
      return null;
    }
    return startedUp() && Boolean.TRUE.equals(readiness.verdict());
  }

  synchronized boolean unhealthy() {
    return (startup != null && Boolean.FALSE.equals(startup.verdict()))
        || (liveness != null && Boolean.FALSE.equals(liveness.verdict()));
  }

  void start() {
    thread = Thread.ofVirtual().name("probe-" + c.getName()).start(this::loop);
  }

  private void loop() {
    long startNanos = System.nanoTime();
    long[] next = new long[3];
    Probe[] probes = {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()};
    for (int i = 0; i < 3; i++) {
      if (probes[i] != null) {
        int delay =
            probes[i].getInitialDelaySeconds() == null ? 0 : probes[i].getInitialDelaySeconds();
        next[i] = startNanos + Duration.ofSeconds(delay).toNanos();
      }
    }
    try {
      while (!closed) {
        long now = System.nanoTime();
        long wake = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
          if (probes[i] == null) {
            continue;
          }
          boolean gated = i > 0 && !startedUp();
          boolean startupDone = i == 0 && startedUp();
          if (gated || startupDone) {
            wake = Math.min(wake, now + Duration.ofMillis(200).toNanos());
            continue;
          }
          if (now >= next[i]) {
            probe(ProbeType.values()[i], probes[i]);
            next[i] = System.nanoTime() + ProberManager.period(probes[i]).toNanos();
          }
          wake = Math.min(wake, next[i]);
        }
        if (wake == Long.MAX_VALUE) {
          return;
        }
        long sleep = Math.max(0, wake - System.nanoTime());
        Thread.sleep(Duration.ofNanos(sleep));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void probe(ProbeType type, Probe p) {
    ProbeActions.Result r = run(p);
    if (closed) {
      return;
    }
    ProbeCounter counter =
        switch (type) {
          case STARTUP -> startup;
          case LIVENESS -> liveness;
          case READINESS -> readiness;
        };
    Boolean before;
    Boolean after;
    synchronized (this) {
      before = counter.verdict();
      after = counter.record(r.success());
    }
    if (!r.success()) {
      events.warning(pod, c.getName(), "Unhealthy", type.title() + " probe failed: " + r.output());
    }
    if (!Objects.equals(before, after)) {
      changed.run();
    }
  }

  private ProbeActions.Result run(Probe p) {
    Duration timeout = ProberManager.timeout(p);
    if (p.getExec() != null) {
      return actions.exec(containerId, p.getExec().getCommand(), timeout);
    }
    if (p.getHttpGet() != null) {
      return actions.httpGet(p.getHttpGet(), c, podIp, timeout);
    }
    if (p.getTcpSocket() != null) {
      String host =
          p.getTcpSocket().getHost() == null || p.getTcpSocket().getHost().isEmpty()
              ? podIp
              : p.getTcpSocket().getHost();
      return actions.tcp(host, p.getTcpSocket().getPort(), c, timeout);
    }
    if (p.getGrpc() != null) {
      if (p.getGrpc().getPort() == null) {
        return new ProbeActions.Result(false, "grpc probe has no port");
      }
      return GrpcHealthCheck.check(podIp, p.getGrpc().getPort(), p.getGrpc().getService(), timeout);
    }
    return new ProbeActions.Result(false, "probe has no action");
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
