package dev.skiff.apiserver.protobuf;

/** Go's time.Duration String() form, e.g. {@code 1h30m0s}, {@code 1.5s}, {@code 0s}. */
public final class GoDuration {
  private GoDuration() {}

  public static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = -nanos;
    }
    long hours = nanos / 3_600_000_000_000L;
    nanos %= 3_600_000_000_000L;
    long minutes = nanos / 60_000_000_000L;
    nanos %= 60_000_000_000L;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    long seconds = nanos / 1_000_000_000L;
    long frac = nanos % 1_000_000_000L;
    sb.append(seconds);
    if (frac > 0) {
      String f = String.format("%09d", frac).replaceAll("0+$", "");
      sb.append('.').append(f);
    }
    return sb.append('s').toString();
  }
}
