package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.events.EventRecorder;
import dev.skiff.kubelet.status.ContainerWaiting;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Makes a container's image present as its pull policy says, with pull back-off, reporting the
 * Pulling / Pulled / Failed / BackOff events {@code kubectl describe pod} shows.
 */
public final class ImagePuller {
  private final ImageService images;
  private final EventRecorder events;

  /** A container cannot start for want of its image. */
  public static final class PullFailure extends Exception {
    private final ContainerWaiting waiting;

    PullFailure(String reason, String message) {
      super(message);
      this.waiting = new ContainerWaiting(reason, message);
    }

    public ContainerWaiting waiting() {
      return waiting;
    }
  }

  public ImagePuller(ImageService images, EventRecorder events) {
    this.images = images;
    this.events = events;
  }

  /** The policy in force: as set, else Always for {@code :latest} or untagged images. */
  static String policy(Container c) {
    if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isEmpty()) {
      return c.getImagePullPolicy();
    }
    String image = c.getImage();
    String last = image.substring(image.lastIndexOf('/') + 1);
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  public void ensure(Pod pod, Container c, PodSandboxConfig sandbox, BackOff backOff, Instant now)
      throws PullFailure {
    String image = c.getImage();
    ImageSpec spec = new ImageSpec(image);
    String policy = policy(c);
    boolean present = images.imageStatus(spec).isPresent();
    if (policy.equals("Never")) {
      if (present) {
        return;
      }
      String msg = "Container image \"" + image + "\" is not present with pull policy of Never";
      events.warning(pod, c.getName(), "ErrImageNeverPull", msg);
      throw new PullFailure("ErrImageNeverPull", msg);
    }
    if (present && policy.toLowerCase(Locale.ROOT).equals("ifnotpresent")) {
      events.normal(
          pod,
          c.getName(),
          "Pulled",
          "Container image \"" + image + "\" already present on machine");
      return;
    }
    String key = "pull/" + image;
    if (backOff.inBackOffSince(key, now, now)) {
      String msg = "Back-off pulling image \"" + image + "\"";
      events.normal(pod, c.getName(), "BackOff", msg);
      throw new PullFailure("ImagePullBackOff", msg);
    }
    events.normal(pod, c.getName(), "Pulling", "Pulling image \"" + image + "\"");
    long start = System.nanoTime();
    try {
      images.pullImage(spec, null, sandbox);
    } catch (RuntimeException e) {
      backOff.next(key, now);
      String msg = "Failed to pull image \"" + image + "\": " + e.getMessage();
      events.warning(pod, c.getName(), "Failed", msg);
      events.warning(pod, c.getName(), "Failed", "Error: ErrImagePull");
      throw new PullFailure("ErrImagePull", msg);
    }
    backOff.reset(key);
    String took = seconds(Duration.ofNanos(System.nanoTime() - start));
    long size = images.imageStatus(spec).map(i -> i.size()).orElse(0L);
    events.normal(
        pod,
        c.getName(),
        "Pulled",
        "Successfully pulled image \""
            + image
            + "\" in "
            + took
            + " ("
            + took
            + " including waiting). Image size: "
            + size
            + " bytes.");
  }

  /** A duration as Go prints it for these messages ({@code 1.234s}, {@code 12ms}). */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    return String.format(Locale.ROOT, "%.3fs", ms / 1000.0)
        .replaceAll("0+s$", "s")
        .replace(".s", "s");
  }
}
