package dev.skiff.network.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test makes for itself ({@code skiff-test-<random>-<suffix>}), the processes
 * it starts in them, and their removal on close whatever happened. Nothing here touches the host's
 * own namespace.
 */
public final class TestNetns implements AutoCloseable {
  private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  /** True when this machine lets a test make namespaces and run iptables in them. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/sbin/ip"))
        && (Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
            || Files.isExecutable(Path.of("/sbin/iptables-restore")));
  }

  /** Creates {@code skiff-test-<id>-<suffix>} with its loopback up. */
  public String add(String suffix) throws IOException {
    String name = "skiff-test-" + id + "-" + suffix;
    run("ip", "netns", "add", name);
    namespaces.add(name);
    exec(name, "ip", "link", "set", "lo", "up");
    return name;
  }

  /** A veth pair between two namespaces, addressed and up; returns the two interface names. */
  public String[] veth(String nsA, String cidrA, String nsB, String cidrB) throws IOException {
    // Named by both ends, so one namespace can have several links.
    String pair = namespaces.indexOf(nsA) + "-" + namespaces.indexOf(nsB);
    String a = "sk" + id + "a" + pair;
    String b = "sk" + id + "b" + pair;
    run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
    exec(nsA, "ip", "addr", "add", cidrA, "dev", a);
    exec(nsB, "ip", "addr", "add", cidrB, "dev", b);
    exec(nsA, "ip", "link", "set", a, "up");
    exec(nsB, "ip", "link", "set", b, "up");
    return new String[] {a, b};
  }

  /** Runs a command inside {@code ns}; fails the test on a non-zero exit. */
  public String exec(String ns, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  /** Runs a command inside {@code ns} and returns its exit code and output, never failing. */
  public Outcome tryExec(String ns, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return outcome(full);
  }

  /** Starts a long-running process inside {@code ns}; it is killed on close. */
  public Process start(String ns, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  public record Outcome(int exit, String output) {}

  private static String run(String... command) throws IOException {
    Outcome o = outcome(List.of(command));
    if (o.exit() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + o.exit() + "): " + o.output());
    }
    return o.output();
  }

  private static Outcome outcome(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Outcome(p.exitValue(), out);
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : namespaces.reversed()) {
      try {
        run("ip", "netns", "delete", ns);
      } catch (IOException e) {
        System.err.println("could not delete network namespace " + ns + ": " + e.getMessage());
      }
    }
  }
}
