package dev.skiff.network.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's desired state, independent of any writer: per table ({@code nat}, {@code filter}) an
 * ordered map of chain name to rules. A rule is its match and target text after {@code -A CHAIN}.
 * Equal rulesets mean nothing to write.
 */
public final class Ruleset {
  private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();

  /** Declares {@code chain} (empty if new) and returns its mutable rule list. */
  public List<String> chain(String table, String chain) {
    return tables
        .computeIfAbsent(table, t -> new LinkedHashMap<>())
        .computeIfAbsent(chain, c -> new ArrayList<>());
  }

  public void add(String table, String chain, String rule) {
    chain(table, chain).add(rule);
  }

  public List<String> tableNames() {
    return List.copyOf(tables.keySet());
  }

  /** Chains of {@code table} in declaration order, read-only. */
  public Map<String, List<String>> chains(String table) {
    return Collections.unmodifiableMap(tables.getOrDefault(table, Map.of()));
  }

  public List<String> rules(String table, String chain) {
    return Collections.unmodifiableList(chains(table).getOrDefault(chain, List.of()));
  }

  public int ruleCount() {
    return tables.values().stream().flatMap(t -> t.values().stream()).mapToInt(List::size).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ruleset other && tables.equals(other.tables);
  }

  @Override
  public int hashCode() {
    return tables.hashCode();
  }
}
