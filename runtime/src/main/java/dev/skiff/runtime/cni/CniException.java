package dev.skiff.runtime.cni;

/** A CNI plugin reported an error (the spec's error result) or could not run. */
public class CniException extends RuntimeException {
  private final int code;

  public CniException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The spec's error code (e.g. 7 invalid network config, 11 try again later). */
  public int code() {
    return code;
  }
}
