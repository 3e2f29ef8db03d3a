package dev.skiff.api.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource quantity as upstream's resource.Quantity: an exact decimal amount and the notation it
 * was written in (binary SI such as {@code Gi}, decimal SI such as {@code k} and {@code m}, or an
 * exponent such as {@code 12e6}). {@link #toString()} gives upstream's canonical form, so {@code
 * 1.5Gi} reads back as {@code 1536Mi} and {@code 0.5} as {@code 500m}. Amounts are rounded up to
 * nano units, as upstream does, so a tiny request is never rounded to nothing.
 */
public final class Quantity implements Comparable<Quantity> {

  /** How a quantity is written; the canonical form keeps the notation of the input. */
  public enum Format {
    BINARY_SI,
    DECIMAL_SI,
    DECIMAL_EXPONENT
  }

  private static final String FORMAT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
  private static final Pattern SHAPE = Pattern.compile(FORMAT);
  private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)");
  private static final Pattern EXPONENT = Pattern.compile("[eE]([-+]?[0-9]+)");
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  private static final Map<String, Integer> BINARY =
      Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
  private static final Map<String, Integer> DECIMAL =
      Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private final BigDecimal amount;
  private final Format format;

  private Quantity(BigDecimal amount, Format format) {
    BigDecimal rounded =
        amount.scale() > 9 && amount.signum() != 0 ? amount.setScale(9, RoundingMode.UP) : amount;
    this.amount = rounded.signum() == 0 ? BigDecimal.ZERO : rounded.stripTrailingZeros();
    this.format = format;
  }

  public static Quantity of(BigDecimal amount, Format format) {
    return new Quantity(amount, format);
  }

  /** A whole number of units in decimal notation, e.g. a count of pods. */
  public static Quantity of(long value) {
    return new Quantity(BigDecimal.valueOf(value), Format.DECIMAL_SI);
  }

  /** Thousandths of a unit in decimal notation, e.g. millicores. */
  public static Quantity ofMillis(long millis) {
    return new Quantity(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
  }

  /** A byte count in binary notation, e.g. memory. */
  public static Quantity ofBytes(long bytes) {
    return new Quantity(BigDecimal.valueOf(bytes), Format.BINARY_SI);
  }

  /**
   * Parses upstream's quantity syntax.
   *
   * @throws IllegalArgumentException with upstream's message when the text is not a quantity
   */
  public static Quantity parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(
          "quantities must match the regular expression '" + FORMAT + "'");
    }
    Matcher m = SHAPE.matcher(text.trim());
    if (!m.matches() || !NUMBER.matcher(m.group(1)).matches()) {
      throw new IllegalArgumentException(
          "quantities must match the regular expression '" + FORMAT + "'");
    }
    BigDecimal number =
        new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
    String suffix = m.group(2);
    if (BINARY.containsKey(suffix)) {
      return new Quantity(number.multiply(KI.pow(BINARY.get(suffix) / 10)), Format.BINARY_SI);
    }
    if (DECIMAL.containsKey(suffix)) {
      return new Quantity(number.scaleByPowerOfTen(DECIMAL.get(suffix)), Format.DECIMAL_SI);
    }
    Matcher e = EXPONENT.matcher(suffix);
    if (e.matches() && e.group(1).length() < 6) {
      return new Quantity(
          number.scaleByPowerOfTen(Integer.parseInt(e.group(1))), Format.DECIMAL_EXPONENT);
    }
    throw new IllegalArgumentException("unable to parse quantity's suffix");
  }

  /** True when {@link #parse} would accept the text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public BigDecimal amount() {
    return amount;
  }

  public Format format() {
    return format;
  }

  public int signum() {
    return amount.signum();
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  /** The amount in whole units, rounded up as upstream's Value(). */
  public long value() {
    return amount.setScale(0, RoundingMode.UP).longValueExact();
  }

  /** The amount in thousandths, rounded up as upstream's MilliValue(). */
  public long milliValue() {
    return amount.scaleByPowerOfTen(3).setScale(0, RoundingMode.UP).longValueExact();
  }

  public Quantity add(Quantity other) {
    return new Quantity(amount.add(other.amount), format);
  }

  public Quantity subtract(Quantity other) {
    return new Quantity(amount.subtract(other.amount), format);
  }

  @Override
  public int compareTo(Quantity other) {
    return amount.compareTo(other.amount);
  }

  /** Equal amounts are equal quantities, whatever notation wrote them. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.hashCode();
  }

  /** Upstream's canonical form. */
  @Override
  public String toString() {
    if (amount.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI
        && amount.abs().compareTo(KI) >= 0
        && amount.stripTrailingZeros().scale() <= 0) {
      BigInteger n = amount.toBigIntegerExact();
      int power = 0;
      BigInteger kibi = BigInteger.valueOf(1024);
      while (power < BINARY_SUFFIXES.length - 1 && n.mod(kibi).signum() == 0) {
        n = n.divide(kibi);
        power++;
      }
      return n + BINARY_SUFFIXES[power];
    }
    // Decimal: the largest multiple-of-three exponent that leaves an integer mantissa.
    int exponent = -amount.scale();
    exponent = Math.floorDiv(exponent, 3) * 3;
    if (format != Format.DECIMAL_EXPONENT) {
      exponent = Math.min(exponent, 18);
    }
    BigInteger mantissa = amount.scaleByPowerOfTen(-exponent).toBigIntegerExact();
    if (format == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    return mantissa + decimalSuffix(exponent);
  }

  private static String decimalSuffix(int exponent) {
    for (var e : DECIMAL.entrySet()) {
      if (e.getValue() == exponent) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("no SI suffix for 10^" + exponent);
  }
}
