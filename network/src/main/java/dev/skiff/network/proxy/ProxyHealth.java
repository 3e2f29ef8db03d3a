package dev.skiff.network.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Whether the proxy keeps up, as kube-proxy judges it: unhealthy once a change has waited longer
 * than {@code healthTimeout} for a sync that succeeds. The node is eligible for traffic unless it
 * is being deleted or the cluster autoscaler has marked it for deletion.
 */
public final class ProxyHealth {
  private static final DateTimeFormatter GO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final Duration healthTimeout;
  private Instant lastUpdated;
  private Instant oldestPending;
  private boolean nodeEligible = true;

  public ProxyHealth(Clock clock, Duration healthTimeout) {
    this.clock = clock;
    this.healthTimeout = healthTimeout;
    this.lastUpdated = clock.instant();
  }

  /** A change is waiting for a sync; the oldest waiting one is what counts. */
  public synchronized void queued() {
    if (oldestPending == null) {
      oldestPending = clock.instant();
    }
  }

  /** A sync succeeded: nothing waits any more. */
  public synchronized void updated() {
    lastUpdated = clock.instant();
    oldestPending = null;
  }

  public synchronized void nodeEligible(boolean eligible) {
    nodeEligible = eligible;
  }

  public synchronized boolean nodeEligible() {
    return nodeEligible;
  }

  /** The proxy alone, as {@code /livez} reports it. */
  public synchronized boolean healthy() {
    return oldestPending == null || !clock.instant().isAfter(oldestPending.plus(healthTimeout));
  }

  /** The proxy and its node, as {@code /healthz} and the services' health checks report it. */
  public synchronized boolean healthyAndEligible() {
    return healthy() && nodeEligible;
  }

  synchronized Instant lastUpdated() {
    return lastUpdated;
  }

  Instant now() {
    return clock.instant();
  }

  /** A time as Go prints a {@code time.Time} in UTC, which kube-proxy's bodies carry. */
  static String goTime(Instant t) {
    String nanos = t.getNano() == 0 ? "" : String.format(".%09d", t.getNano());
    nanos = nanos.replaceAll("0+$", "");
    return GO_SECONDS.format(t) + nanos + " +0000 UTC";
  }
}
