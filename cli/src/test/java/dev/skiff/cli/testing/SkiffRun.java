package dev.skiff.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.cli.Skiff;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The skiff command line run in this JVM: its exit code and what it printed to each stream. */
public record SkiffRun(int exit, String out, String err) {
  /** Runs {@code skiff args} with standard output and error captured. */
  public static SkiffRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Skiff.execute(args);
      return new SkiffRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Runs {@code skiff args}, fails the test unless it exits 0, and returns its standard output. */
  public static String ok(String... args) {
    SkiffRun r = of(args);
    assertEquals(0, r.exit(), r.out() + r.err());
    return r.out();
  }
}
