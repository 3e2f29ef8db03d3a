package dev.skiff.network.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link Iptables} through the {@code iptables}, {@code iptables-save} and {@code iptables-restore}
 * programs. {@code prefix} is prepended to each command, e.g. {@code ip netns exec NAME} so tests
 * work inside a namespace of their own.
 */
public final class IptablesCommand implements Iptables {
  private final List<String> prefix;

  public IptablesCommand(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Runs on the host's own network namespace. */
  public static IptablesCommand host() {
    return new IptablesCommand(List.of());
  }

  public static IptablesCommand inNetns(String name) {
    return new IptablesCommand(List.of("ip", "netns", "exec", name));
  }

  @Override
  public void restore(String input) throws IOException {
    Result r = run(List.of("iptables-restore", "-w", "5", "--noflush"), input);
    if (r.exit != 0) {
      throw new IOException("iptables-restore failed (exit " + r.exit + "): " + r.output.strip());
    }
  }

  @Override
  public Map<String, Set<String>> kubeChains(Set<String> tables) throws IOException {
    Map<String, Set<String>> chains = new LinkedHashMap<>();
    for (String table : tables) {
      Result r = run(List.of("iptables-save", "-t", table), null);
      if (r.exit != 0) {
        throw new IOException("iptables-save -t " + table + " failed: " + r.output.strip());
      }
      Set<String> names = new LinkedHashSet<>();
      for (String line : r.output.split("\n")) {
        if (line.startsWith(":KUBE-")) {
          names.add(line.substring(1, line.indexOf(' ')));
        }
      }
      chains.put(table, names);
    }
    return chains;
  }

  @Override
  public void ensureRule(String table, String chain, List<String> spec) throws IOException {
    if (iptables(table, "-C", chain, spec).exit == 0) {
      return;
    }
    List<String> insert = new ArrayList<>(List.of("-I", chain, "1"));
    insert.addAll(spec);
    Result r = iptables(table, insert);
    if (r.exit != 0) {
      throw new IOException("iptables -t " + table + " " + insert + ": " + r.output.strip());
    }
  }

  @Override
  public void deleteRule(String table, String chain, List<String> spec) throws IOException {
    while (iptables(table, "-C", chain, spec).exit == 0) {
      List<String> delete = new ArrayList<>(List.of("-D", chain));
      delete.addAll(spec);
      Result r = iptables(table, delete);
      if (r.exit != 0) {
        throw new IOException("iptables -t " + table + " " + delete + ": " + r.output.strip());
      }
    }
  }

  private Result iptables(String table, String op, String chain, List<String> spec)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(op, chain));
    args.addAll(spec);
    return iptables(table, args);
  }

  private Result iptables(String table, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table));
    command.addAll(args);
    return run(command, null);
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command, String input) throws IOException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    if (input != null) {
      try (var in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      p.getOutputStream().close();
    }
    String output;
    try (InputStream out = p.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish in 60s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", full), e);
    }
    return new Result(p.exitValue(), output);
  }
}
