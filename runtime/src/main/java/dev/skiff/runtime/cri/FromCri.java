package dev.skiff.runtime.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStats;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.FilesystemUsage;
import dev.skiff.runtime.Image;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PodSandboxStatus;
import dev.skiff.runtime.cri.v1.NamespaceOption;
import dev.skiff.runtime.cri.v1.PodIP;
import java.io.IOException;
import java.util.Map;

/** CRI {@code runtime.v1} messages as Skiff's runtime records. */
final class FromCri {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FromCri() {}

  static PodSandbox sandbox(dev.skiff.runtime.cri.v1.PodSandbox s) {
    return new PodSandbox(
        s.getId(),
        metadata(s.getMetadata()),
        PodSandboxState.valueOf(s.getState().name()),
        s.getCreatedAt(),
        s.getLabelsMap(),
        s.getAnnotationsMap(),
        s.getRuntimeHandler());
  }

  /** {@code info} is the verbose status map; containerd names the netns path there. */
  static PodSandboxStatus sandboxStatus(
      dev.skiff.runtime.cri.v1.PodSandboxStatus s, Map<String, String> info) {
    NamespaceOption ns = s.getLinux().getNamespaces().getOptions();
    String netns = verbose(info).path("netNamespacePath").asText("");
    return new PodSandboxStatus(
        s.getId(),
        metadata(s.getMetadata()),
        PodSandboxState.valueOf(s.getState().name()),
        s.getCreatedAt(),
        s.getNetwork().getIp(),
        s.getNetwork().getAdditionalIpsList().stream().map(PodIP::getIp).toList(),
        new NamespaceOptions(
            NamespaceMode.valueOf(ns.getNetwork().name()),
            NamespaceMode.valueOf(ns.getPid().name()),
            NamespaceMode.valueOf(ns.getIpc().name()),
            ns.getTargetId().isEmpty() ? null : ns.getTargetId()),
        netns.isEmpty() ? null : netns,
        s.getLabelsMap(),
        s.getAnnotationsMap(),
        s.getRuntimeHandler());
  }

  static PodSandboxMetadata metadata(dev.skiff.runtime.cri.v1.PodSandboxMetadata m) {
    return new PodSandboxMetadata(m.getName(), m.getUid(), m.getNamespace(), m.getAttempt());
  }

  static Container container(dev.skiff.runtime.cri.v1.Container c) {
    return new Container(
        c.getId(),
        c.getPodSandboxId(),
        metadata(c.getMetadata()),
        image(c.getImage()),
        c.getImageRef(),
        ContainerState.valueOf(c.getState().name()),
        c.getCreatedAt(),
        c.getLabelsMap(),
        c.getAnnotationsMap());
  }

  /** The sandbox id and pid come from the verbose info, as CRI's status message lacks them. */
  static ContainerStatus containerStatus(
      dev.skiff.runtime.cri.v1.ContainerStatus s, Map<String, String> info) {
    JsonNode details = verbose(info);
    return new ContainerStatus(
        s.getId(),
        details.path("sandboxID").asText(""),
        metadata(s.getMetadata()),
        ContainerState.valueOf(s.getState().name()),
        s.getCreatedAt(),
        s.getStartedAt(),
        s.getFinishedAt(),
        s.getExitCode(),
        image(s.getImage()),
        s.getImageRef(),
        emptyToNull(s.getReason()),
        emptyToNull(s.getMessage()),
        s.getLabelsMap(),
        s.getAnnotationsMap(),
        s.getMountsList().stream()
            .map(m -> new Mount(m.getContainerPath(), m.getHostPath(), m.getReadonly()))
            .toList(),
        s.getLogPath(),
        resources(s.getResources().getLinux()),
        details.path("pid").asInt(0));
  }

  static ContainerStats stats(dev.skiff.runtime.cri.v1.ContainerStats s) {
    return new ContainerStats(
        s.getAttributes().getId(),
        metadata(s.getAttributes().getMetadata()),
        Math.max(s.getCpu().getTimestamp(), s.getMemory().getTimestamp()),
        s.getCpu().getUsageCoreNanoSeconds().getValue(),
        s.getMemory().getUsageBytes().getValue(),
        s.getMemory().getWorkingSetBytes().getValue(),
        s.getWritableLayer().getUsedBytes().getValue());
  }

  static Image image(dev.skiff.runtime.cri.v1.Image i) {
    return new Image(
        i.getId(),
        i.getRepoTagsList(),
        i.getRepoDigestsList(),
        i.getSize(),
        i.hasUid() ? i.getUid().getValue() : null,
        emptyToNull(i.getUsername()),
        i.getPinned());
  }

  static FilesystemUsage filesystem(dev.skiff.runtime.cri.v1.FilesystemUsage f) {
    return new FilesystemUsage(
        f.getTimestamp(),
        f.getFsId().getMountpoint(),
        f.getUsedBytes().getValue(),
        f.getInodesUsed().getValue());
  }

  private static ContainerMetadata metadata(dev.skiff.runtime.cri.v1.ContainerMetadata m) {
    return new ContainerMetadata(m.getName(), m.getAttempt());
  }

  private static ImageSpec image(dev.skiff.runtime.cri.v1.ImageSpec i) {
    return new ImageSpec(i.getImage(), i.getAnnotationsMap());
  }

  private static LinuxContainerResources resources(
      dev.skiff.runtime.cri.v1.LinuxContainerResources r) {
    return new LinuxContainerResources(
        r.getCpuPeriod(),
        r.getCpuQuota(),
        r.getCpuShares(),
        r.getMemoryLimitInBytes(),
        r.getOomScoreAdj(),
        emptyToNull(r.getCpusetCpus()),
        emptyToNull(r.getCpusetMems()),
        0,
        r.getUnifiedMap());
  }

  private static JsonNode verbose(Map<String, String> info) {
    String raw = info.get("info");
    if (raw == null) return JSON.missingNode();
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
