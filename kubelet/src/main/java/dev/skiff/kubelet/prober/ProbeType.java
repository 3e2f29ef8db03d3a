package dev.skiff.kubelet.prober;

/** The three probes, named as their events name them ({@code Liveness probe failed: ...}). */
public enum ProbeType {
  STARTUP("Startup"),
  LIVENESS("Liveness"),
  READINESS("Readiness");

  private final String title;

  ProbeType(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
