package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * The outcome of running a plugin, as upstream's framework.Status.
 *
 * @param reasons human-readable reasons; each counts once in the "0/N nodes are available" message
 * @param plugin the plugin that produced this status, empty until the framework records it
 */
public record Status(Code code, List<String> reasons, String plugin) {

  public enum Code {
    SUCCESS("Success"),
    ERROR("Error"),
    /** The node cannot run the pod now, but could after preemption or other pods leave. */
    UNSCHEDULABLE("Unschedulable"),
    /** No preemption on this node can help, e.g. a node selector mismatch. */
    UNSCHEDULABLE_AND_UNRESOLVABLE("UnschedulableAndUnresolvable"),
    /** A Permit plugin holds the pod until someone allows or rejects it. */
    WAIT("Wait"),
    /** The plugin has nothing to do for this pod; its later extension points are skipped. */
    SKIP("Skip");

    private final String upstreamName;

    Code(String upstreamName) {
      this.upstreamName = upstreamName;
    }

    @Override
    public String toString() {
      return upstreamName;
    }
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "");
  public static final Status SKIP = new Status(Code.SKIP, List.of(), "");

  public Status {
    reasons = List.copyOf(reasons);
    plugin = plugin == null ? "" : plugin;
  }

  public static Status of(Code code, String... reasons) {
    return new Status(code, List.of(reasons), "");
  }

  public static Status unschedulable(String... reasons) {
    return of(Code.UNSCHEDULABLE, reasons);
  }

  public static Status unresolvable(String... reasons) {
    return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
  }

  public static Status error(String message) {
    return of(Code.ERROR, message);
  }

  public static Status error(Throwable t) {
    return of(Code.ERROR, String.valueOf(t.getMessage() == null ? t : t.getMessage()));
  }

  public Status withPlugin(String name) {
    return new Status(code, reasons, name);
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit, nothing broke. */
  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
  }

  public String message() {
    return String.join(", ", reasons);
  }

  @Override
  public String toString() {
    return code + (reasons.isEmpty() ? "" : ": " + message());
  }
}
