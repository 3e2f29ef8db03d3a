package dev.skiff.kubelet.prober;

/**
 * Turns single probe results into a verdict with {@code successThreshold} and {@code
 * failureThreshold}: the verdict flips only after that many results in a row. Pure.
 */
public final class ProbeCounter {
  private final int successThreshold;
  private final int failureThreshold;
  private Boolean verdict;
  private int successes;
  private int failures;

  /**
   * @param initial the verdict before any result (readiness starts false, liveness true), or null
   */
  public ProbeCounter(int successThreshold, int failureThreshold, Boolean initial) {
    this.successThreshold = Math.max(1, successThreshold);
    this.failureThreshold = Math.max(1, failureThreshold);
    this.verdict = initial;
  }

  /** Records a result; returns the verdict after it. */
  public Boolean record(boolean success) {
    if (success) {
      failures = 0;
      successes++;
      if (successes >= successThreshold) {
        verdict = true;
      }
    } else {
      successes = 0;
      failures++;
      if (failures >= failureThreshold) {
        verdict = false;
      }
    }
    return verdict;
  }

  public Boolean verdict() {
    return verdict;
  }
}
