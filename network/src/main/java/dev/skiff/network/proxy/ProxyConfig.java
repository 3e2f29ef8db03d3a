package dev.skiff.network.proxy;

/**
 * What the proxy needs to know about its node and cluster. {@code clusterCidr} may be null, in
 * which case traffic to a ClusterIP from outside the pod network is not told apart (upstream's
 * behaviour without {@code --cluster-cidr}); {@code masqueradeAll} masquerades every service
 * connection.
 */
public record ProxyConfig(
    String nodeName, String clusterCidr, boolean masqueradeAll, int masqueradeBit) {

  public ProxyConfig {
    if (masqueradeBit < 0 || masqueradeBit > 31) {
      throw new IllegalArgumentException("masqueradeBit must be within [0, 31]");
    }
  }

  public static ProxyConfig of(String nodeName, String clusterCidr) {
    return new ProxyConfig(nodeName, clusterCidr, false, 14);
  }

  /** The fwmark, e.g. {@code 0x4000/0x4000} for bit 14. */
  String masqueradeMark() {
    String hex = "0x" + Integer.toHexString(1 << masqueradeBit);
    return hex + "/" + hex;
  }
}
