package dev.skiff.controllers.nodelifecycle;

/** How healthy a zone's nodes are, which decides how fast its failed nodes are evicted. */
public enum ZoneState {
  NORMAL,
  PARTIAL_DISRUPTION,
  FULL_DISRUPTION;

  /** Upstream's rule: no ready node is full disruption; over 2 and the threshold is partial. */
  static ZoneState of(int ready, int notReady, double unhealthyThreshold) {
    if (ready == 0 && notReady > 0) {
      return FULL_DISRUPTION;
    }
    if (notReady > 2 && (double) notReady / (ready + notReady) >= unhealthyThreshold) {
      return PARTIAL_DISRUPTION;
    }
    return NORMAL;
  }
}
