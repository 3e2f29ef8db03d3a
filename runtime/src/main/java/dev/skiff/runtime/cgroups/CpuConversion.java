package dev.skiff.runtime.cgroups;

/** Upstream's conversions from millicores to cgroup cpu settings. */
public final class CpuConversion {
  public static final long MIN_SHARES = 2;
  public static final long MAX_SHARES = 262144;
  public static final long SHARES_PER_CPU = 1024;
  public static final long DEFAULT_PERIOD_US = 100_000;
  public static final long MIN_QUOTA_US = 1000;

  private CpuConversion() {}

  /** cpu.shares for a cpu request; requests below 2 shares (and none at all) get 2. */
  public static long sharesFromMilli(long milli) {
    if (milli <= 0) return MIN_SHARES;
    long shares = milli * SHARES_PER_CPU / 1000;
    return Math.clamp(shares, MIN_SHARES, MAX_SHARES);
  }

  /** CFS quota for a cpu limit over {@code periodUs}; 0 (unlimited) when there is no limit. */
  public static long quotaFromMilli(long milli, long periodUs) {
    if (milli <= 0) return 0;
    long quota = milli * periodUs / 1000;
    return Math.max(quota, MIN_QUOTA_US);
  }

  /** cgroup v2 cpu.weight for v1 shares, mapping [2, 262144] onto [1, 10000]. */
  public static long weightFromShares(long shares) {
    if (shares <= 0) return 0;
    long s = Math.clamp(shares, MIN_SHARES, MAX_SHARES);
    return 1 + ((s - 2) * 9999) / 262142;
  }
}
