package dev.skiff.kubelet.volume;

import dev.skiff.kubelet.env.FieldRefs;
import dev.skiff.kubelet.volume.AtomicWriter.FileContent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of configMap, secret and downwardAPI volumes: every key (or just the listed {@code
 * items}, at their paths), with the item's mode or the volume's {@code defaultMode} (0644). Pure.
 */
public final class Payloads {
  public static final int DEFAULT_MODE = 0644;

  private Payloads() {}

  public static Map<String, byte[]> configMapData(ConfigMap cm) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (cm.getData() != null) {
      cm.getData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
    }
    return out;
  }

  public static Map<String, byte[]> secretData(Secret s) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /**
   * @param kind "configmap" or "secret", for the message about a missing key
   */
  public static Map<String, FileContent> keys(
      Map<String, byte[]> data,
      List<KeyToPath> items,
      Integer defaultMode,
      boolean optional,
      String kind,
      String name) {
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    Map<String, FileContent> out = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> out.put(k, new FileContent(v, mode)));
      return out;
    }
    for (KeyToPath item : items) {
      byte[] v = data.get(item.getKey());
      if (v == null) {
        if (optional) {
          continue;
        }
        throw new VolumeError(
            "configmap".equals(kind)
                ? "configmap references non-existent config key: " + item.getKey()
                : "references non-existent secret key: " + item.getKey());
      }
      out.put(item.getPath(), new FileContent(v, item.getMode() == null ? mode : item.getMode()));
    }
    return out;
  }

  public static Map<String, FileContent> downwardApi(
      Pod pod,
      List<DownwardAPIVolumeFile> items,
      Integer defaultMode,
      String podIp,
      String hostIp) {
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    Map<String, FileContent> out = new LinkedHashMap<>();
    for (DownwardAPIVolumeFile f : items) {
      String value;
      if (f.getFieldRef() != null) {
        value = FieldRefs.value(pod, f.getFieldRef().getFieldPath(), podIp, hostIp);
      } else if (f.getResourceFieldRef() != null) {
        var ref = f.getResourceFieldRef();
        var c =
            pod.getSpec().getContainers().stream()
                .filter(x -> x.getName().equals(ref.getContainerName()))
                .findFirst()
                .orElseThrow(
                    () -> new VolumeError("container " + ref.getContainerName() + " not found"));
        value = FieldRefs.resource(pod, c, ref);
      } else {
        continue;
      }
      out.put(
          f.getPath(),
          new FileContent(
              value.getBytes(StandardCharsets.UTF_8), f.getMode() == null ? mode : f.getMode()));
    }
    return out;
  }
}
