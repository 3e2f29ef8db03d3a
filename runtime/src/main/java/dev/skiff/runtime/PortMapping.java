package dev.skiff.runtime;

/** A hostPort mapping into the sandbox (CRI {@code PortMapping}). */
public record PortMapping(Protocol protocol, int containerPort, int hostPort, String hostIp) {
  public PortMapping {
    protocol = protocol == null ? Protocol.TCP : protocol;
  }
}
