package dev.skiff.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of a container's spec: when it changes (a new image from {@code kubectl set image}) the
 * running container no longer matches and is replaced. Probes and resources are left out, as they
 * change without a restart upstream.
 */
public final class ContainerHash {
  private ContainerHash() {}

  public static String of(Container c) {
    Container copy = Serialization.clone(c);
    copy.setLivenessProbe(null);
    copy.setReadinessProbe(null);
    copy.setStartupProbe(null);
    copy.setResources(null);
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(copy).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
