package dev.skiff.runtime.cni;

import java.util.List;

/** A pod's addresses after network setup; the first is the pod IP. */
public record NetworkStatus(List<String> ips) {
  public NetworkStatus {
    ips = List.copyOf(ips);
  }

  public String ip() {
    return ips.isEmpty() ? "" : ips.getFirst();
  }
}
