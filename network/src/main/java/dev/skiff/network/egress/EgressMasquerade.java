package dev.skiff.network.egress;

import dev.skiff.network.proxy.Iptables;
import java.io.IOException;
import java.util.List;

/**
 * Pod egress: the bridge CNI config leaves {@code ipMasq} off, so this node hides pods behind its
 * own address when they reach anything outside the cluster CIDR, as flannel's masquerade rules do.
 * Pod-to-pod traffic, across nodes too, keeps its source address: the network is flat. The rules
 * live in {@code SKIFF-POSTROUTING} (nat), jumped to from {@code POSTROUTING}; {@link #close()} and
 * {@link #remove} take both away.
 */
public final class EgressMasquerade implements AutoCloseable {
  public static final String CHAIN = "SKIFF-POSTROUTING";

  private static final List<String> JUMP =
      List.of("-m", "comment", "--comment", "skiff pod egress", "-j", CHAIN);

  private final Iptables iptables;

  private EgressMasquerade(Iptables iptables) {
    this.iptables = iptables;
  }

  /** Writes the chain for {@code clusterCidr} (replacing what was there) and the jump to it. */
  public static EgressMasquerade install(Iptables iptables, String clusterCidr) throws IOException {
    iptables.restore(rules(clusterCidr));
    iptables.ensureRule("nat", "POSTROUTING", JUMP);
    return new EgressMasquerade(iptables);
  }

  /** {@code iptables-restore --noflush} input for the chain: declaring it flushes it first. */
  static String rules(String clusterCidr) {
    return "*nat\n"
        + ":"
        + CHAIN
        + " - [0:0]\n"
        + "-A "
        + CHAIN
        + " -s "
        + clusterCidr
        + " -d "
        + clusterCidr
        + " -m comment --comment \"pod to pod: no NAT\" -j RETURN\n"
        + "-A "
        + CHAIN
        + " -s "
        + clusterCidr
        + " ! -d 224.0.0.0/4 -m comment --comment \"pod egress: masquerade behind the node IP\""
        + " -j MASQUERADE --random-fully\n"
        + "COMMIT\n";
  }

  /** Removes the jump and the chain, whoever installed them; nothing to do when absent. */
  public static void remove(Iptables iptables) throws IOException {
    iptables.deleteRule("nat", "POSTROUTING", JUMP);
    iptables.restore("*nat\n:" + CHAIN + " - [0:0]\n-X " + CHAIN + "\nCOMMIT\n");
  }

  @Override
  public void close() throws IOException {
    remove(iptables);
  }
}
