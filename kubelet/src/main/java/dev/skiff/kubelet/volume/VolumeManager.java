package dev.skiff.kubelet.volume;

import dev.skiff.kubelet.volume.AtomicWriter.FileContent;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.MountPropagation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepares a pod's volumes under {@code <root>/pods/<uid>/volumes/<plugin>/<name>} and turns its
 * containers' volumeMounts into runtime mounts. ConfigMap, secret, downwardAPI and projected
 * contents are rewritten (atomically) at most once a minute, so changes reach running pods.
 */
public final class VolumeManager {
  static final Duration REFRESH = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Path root;
  private final String hostIp;
  private final Projection projection;
  private final Map<String, Instant> lastSetup = new ConcurrentHashMap<>();
  private final Map<String, String> lastVersion = new ConcurrentHashMap<>();

  public VolumeManager(KubernetesClient client, Path root, String hostIp) {
    this.client = client;
    this.root = root;
    this.hostIp = hostIp;
    this.projection = new Projection(client);
  }

  public Path podDir(String uid) {
    return root.resolve("pods").resolve(uid);
  }

  /** The host directory (or file) behind a volume. */
  public Path volumePath(Pod pod, Volume v) {
    Path vols = podDir(pod.getMetadata().getUid()).resolve("volumes");
    if (v.getHostPath() != null) {
      return Path.of(v.getHostPath().getPath());
    }
    return vols.resolve(plugin(v)).resolve(v.getName());
  }

  static String plugin(Volume v) {
    if (v.getEmptyDir() != null) return "kubernetes.io~empty-dir";
    if (v.getConfigMap() != null) return "kubernetes.io~configmap";
    if (v.getSecret() != null) return "kubernetes.io~secret";
    if (v.getDownwardAPI() != null) return "kubernetes.io~downward-api";
    if (v.getProjected() != null) return "kubernetes.io~projected";
    throw new VolumeError(
        "volume " + v.getName() + ": this volume type is not supported by this kubelet");
  }

  /** Sets up every volume, refreshing contents when due; throws with the FailedMount message. */
  public void setup(Pod pod) {
    String uid = pod.getMetadata().getUid();
    Instant now = Instant.now();
    Instant last = lastSetup.get(uid);
    String version = pod.getMetadata().getResourceVersion();
    if (last != null
        && now.isBefore(last.plus(REFRESH))
        && version != null
        && version.equals(lastVersion.get(uid))) {
      return;
    }
    String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    for (Volume v : pod.getSpec().getVolumes()) {
      try {
        setup(pod, v, podIp);
      } catch (IOException e) {
        throw new VolumeError(
            "MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage(), e);
      } catch (VolumeError e) {
        throw new VolumeError(
            "MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage(), e);
      }
    }
    lastSetup.put(uid, now);
    if (version != null) {
      lastVersion.put(uid, version);
    }
  }

  private void setup(Pod pod, Volume v, String podIp) throws IOException {
    String ns = pod.getMetadata().getNamespace();
    if (v.getHostPath() != null) {
      HostPaths.check(Path.of(v.getHostPath().getPath()), v.getHostPath().getType());
      return;
    }
    Path dir = volumePath(pod, v);
    if (v.getEmptyDir() != null) {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
      }
      if ("Memory".equals(v.getEmptyDir().getMedium())) {
        Tmpfs.ensure(dir, v.getEmptyDir().getSizeLimit());
      }
      return;
    }
    if (v.getConfigMap() != null) {
      var src = v.getConfigMap();
      AtomicWriter.write(
          dir,
          configMapFiles(
              ns,
              src.getName(),
              src.getItems(),
              src.getDefaultMode(),
              Boolean.TRUE.equals(src.getOptional())));
      return;
    }
    if (v.getSecret() != null) {
      var src = v.getSecret();
      AtomicWriter.write(
          dir,
          secretFiles(
              ns,
              src.getSecretName(),
              src.getItems(),
              src.getDefaultMode(),
              Boolean.TRUE.equals(src.getOptional())));
      return;
    }
    if (v.getDownwardAPI() != null) {
      AtomicWriter.write(
          dir,
          Payloads.downwardApi(
              pod,
              v.getDownwardAPI().getItems(),
              v.getDownwardAPI().getDefaultMode(),
              podIp,
              hostIp));
      return;
    }
    if (v.getProjected() != null) {
      AtomicWriter.write(dir, projection.files(pod, v.getProjected(), this, podIp, hostIp));
    }
  }

  Map<String, FileContent> configMapFiles(
      String ns,
      String name,
      List<io.fabric8.kubernetes.api.model.KeyToPath> items,
      Integer mode,
      boolean optional) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
    if (cm == null) {
      if (optional) {
        return new LinkedHashMap<>();
      }
      throw new VolumeError("configmap \"" + name + "\" not found");
    }
    return Payloads.keys(Payloads.configMapData(cm), items, mode, optional, "configmap", name);
  }

  Map<String, FileContent> secretFiles(
      String ns,
      String name,
      List<io.fabric8.kubernetes.api.model.KeyToPath> items,
      Integer mode,
      boolean optional) {
    Secret s = client.secrets().inNamespace(ns).withName(name).get();
    if (s == null) {
      if (optional) {
        return new LinkedHashMap<>();
      }
      throw new VolumeError("secret \"" + name + "\" not found");
    }
    return Payloads.keys(Payloads.secretData(s), items, mode, optional, "secret", name);
  }

  /** The runtime mounts for a container's volumeMounts. */
  public List<Mount> mounts(Pod pod, Container c) {
    List<Mount> out = new ArrayList<>();
    for (VolumeMount vm : c.getVolumeMounts()) {
      Volume v =
          pod.getSpec().getVolumes().stream()
              .filter(x -> x.getName().equals(vm.getName()))
              .findFirst()
              .orElseThrow(() -> new VolumeError("unable to find volume \"" + vm.getName() + "\""));
      Path host = volumePath(pod, v);
      if (vm.getSubPath() != null && !vm.getSubPath().isEmpty()) {
        Path sub = host.resolve(vm.getSubPath()).normalize();
        if (!sub.startsWith(host)) {
          throw new VolumeError(
              "subPath \"" + vm.getSubPath() + "\" must not reach outside the volume");
        }
        try {
          if (!Files.exists(sub)) {
            Files.createDirectories(sub);
          }
        } catch (IOException e) {
          throw new VolumeError("failed to create subPath directory: " + e.getMessage(), e);
        }
        host = sub;
      }
      boolean readOnly =
          Boolean.TRUE.equals(vm.getReadOnly())
              || v.getConfigMap() != null
              || v.getSecret() != null
              || v.getDownwardAPI() != null
              || v.getProjected() != null;
      MountPropagation propagation =
          switch (vm.getMountPropagation() == null ? "None" : vm.getMountPropagation()) {
            case "HostToContainer" -> MountPropagation.HOST_TO_CONTAINER;
            case "Bidirectional" -> MountPropagation.BIDIRECTIONAL;
            default -> MountPropagation.PRIVATE;
          };
      out.add(new Mount(vm.getMountPath(), host.toString(), readOnly, propagation));
    }
    return out;
  }

  /** Unmounts and removes everything the pod had under the kubelet's root. */
  public void teardown(String uid) {
    lastSetup.remove(uid);
    lastVersion.remove(uid);
    projection.forget(uid);
    Path dir = podDir(uid);
    try {
      Tmpfs.unmountAllUnder(dir);
      AtomicWriter.deleteTree(dir);
    } catch (IOException e) {
      throw new VolumeError("could not remove volumes of pod " + uid + ": " + e.getMessage(), e);
    }
  }
}
