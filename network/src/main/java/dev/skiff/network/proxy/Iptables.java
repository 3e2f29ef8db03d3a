package dev.skiff.network.proxy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The few iptables operations the proxy needs; the seam between the rule logic and the host. */
public interface Iptables {
  /** Applies {@code iptables-restore --noflush} input atomically. */
  void restore(String input) throws IOException;

  /** Names of the chains in each of {@code tables} that start with {@code KUBE-}. */
  Map<String, Set<String>> kubeChains(Set<String> tables) throws IOException;

  /** Inserts {@code spec} at the top of a built-in chain unless an identical rule is there. */
  void ensureRule(String table, String chain, List<String> spec) throws IOException;

  /** Deletes {@code spec} from {@code chain} if present. */
  void deleteRule(String table, String chain, List<String> spec) throws IOException;
}
