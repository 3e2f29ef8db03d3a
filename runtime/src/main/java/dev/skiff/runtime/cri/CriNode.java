package dev.skiff.runtime.cri;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.cni.CniNetworkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A node whose pods run in an existing CRI runtime (containerd, CRI-O). The runtime sets up pod
 * networking itself from its CNI configuration directory, so the node writes its bridge network
 * there, on its pod CIDR, as flannel and k3s do.
 */
public record CriNode(CriConnection connection, CriRuntimeService runtime, CriImageService images)
    implements AutoCloseable {
  public static final Path CNI_CONF_DIR = Path.of("/etc/cni/net.d");
  static final String CONFLIST = "10-skiff.conflist";

  /**
   * @param endpoint e.g. {@code unix:///run/containerd/containerd.sock}
   * @param ipamDir where host-local keeps this node's address leases
   */
  public static CriNode connect(
      String endpoint, String podCidr, String bridge, Path cniConfDir, Path ipamDir) {
    writeNetwork(cniConfDir, CniNetworkConfig.bridge("skiff", bridge, podCidr, ipamDir).toString());
    CriConnection connection = CriConnection.open(endpoint);
    return new CriNode(
        connection, new CriRuntimeService(connection), new CriImageService(connection));
  }

  private static void writeNetwork(Path dir, String conflist) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + CONFLIST + ".tmp");
      Files.writeString(tmp, conflist);
      Files.move(tmp, dir.resolve(CONFLIST), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pod network to " + dir, e);
    }
  }

  /** Removes the pod network a node wrote to {@code cniConfDir} ({@code skiff reset}). */
  public static void removeNetwork(Path cniConfDir) throws IOException {
    Files.deleteIfExists(cniConfDir.resolve(CONFLIST));
  }

  /** The interfaces the kubelet uses. */
  public ContainerRuntime containerRuntime() {
    return runtime;
  }

  public ImageService imageService() {
    return images;
  }

  @Override
  public void close() {
    connection.close();
  }
}
