package dev.skiff.kubelet.volume;

/** A volume cannot be set up; the message becomes the FailedMount event's. */
public final class VolumeError extends RuntimeException {
  public VolumeError(String message) {
    super(message);
  }

  public VolumeError(String message, Throwable cause) {
    super(message, cause);
  }
}
