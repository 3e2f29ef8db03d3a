package dev.skiff.network.proxy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a {@link Ruleset} as {@code iptables-restore --noflush} input. Given the ruleset last
 * applied, only chains whose rules changed are rewritten (a declared chain is flushed, an
 * undeclared one left alone), and chains that are no longer wanted are flushed and deleted after
 * every rule that could jump to them has been rewritten.
 */
public final class IptablesRestoreWriter {
  private IptablesRestoreWriter() {}

  /** Every chain of {@code desired}, plus deletion of {@code existing} chains it lacks. */
  public static String render(Ruleset desired, Map<String, Set<String>> existing) {
    return render(desired, null, existing);
  }

  /**
   * Input that takes the kernel from {@code applied} (null: unknown, write everything) to {@code
   * desired}; {@code existing} names chains found in the kernel that this proxy owns. Empty when
   * nothing needs writing.
   */
  public static String render(Ruleset desired, Ruleset applied, Map<String, Set<String>> existing) {
    Set<String> tables = new LinkedHashSet<>(desired.tableNames());
    tables.addAll(existing.keySet());
    if (applied != null) {
      tables.addAll(applied.tableNames());
    }
    StringBuilder out = new StringBuilder(64 * desired.ruleCount() + 256);
    for (String table : tables) {
      Map<String, List<String>> want = desired.chains(table);
      Set<String> stale = new LinkedHashSet<>(existing.getOrDefault(table, Set.of()));
      if (applied != null) {
        stale.addAll(applied.chains(table).keySet());
      }
      stale.removeAll(want.keySet());
      StringBuilder rules = new StringBuilder();
      StringBuilder declarations = new StringBuilder();
      for (Map.Entry<String, List<String>> chain : want.entrySet()) {
        String name = chain.getKey();
        boolean unchanged =
            applied != null
                && applied.chains(table).containsKey(name)
                && Objects.equals(applied.chains(table).get(name), chain.getValue());
        if (unchanged) {
          continue;
        }
        declarations.append(':').append(name).append(" - [0:0]\n");
        for (String rule : chain.getValue()) {
          rules.append("-A ").append(name).append(' ').append(rule).append('\n');
        }
      }
      for (String name : stale) {
        declarations.append(':').append(name).append(" - [0:0]\n");
      }
      if (declarations.isEmpty()) {
        continue;
      }
      out.append('*').append(table).append('\n').append(declarations).append(rules);
      for (String name : stale) {
        out.append("-X ").append(name).append('\n');
      }
      out.append("COMMIT\n");
    }
    return out.toString();
  }

  /** Flushes and deletes every listed chain: what a clean shutdown or {@code skiff reset} runs. */
  public static String renderCleanup(Map<String, Set<String>> chains) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Set<String>> table : chains.entrySet()) {
      if (table.getValue().isEmpty()) {
        continue;
      }
      out.append('*').append(table.getKey()).append('\n');
      for (String chain : table.getValue()) {
        out.append(':').append(chain).append(" - [0:0]\n");
      }
      for (String chain : table.getValue()) {
        out.append("-X ").append(chain).append('\n');
      }
      out.append("COMMIT\n");
    }
    return out.toString();
  }
}
