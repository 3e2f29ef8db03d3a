package dev.skiff.kubelet.pod;

import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.logs.ContainerLogReader;
import dev.skiff.runtime.logs.LogEntry;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * {@code terminationMessagePolicy: FallbackToLogsOnError}: a container that failed without writing
 * a termination message gets the tail of its log instead (80 lines, at most 2048 bytes), as
 * upstream.
 */
final class TerminationMessages {
  static final int MAX_LINES = 80;
  static final int MAX_BYTES = 2048;

  private TerminationMessages() {}

  static ContainerStatus withFallback(Pod pod, ContainerStatus s, Path podLogDirectory) {
    if (s.state() != ContainerState.CONTAINER_EXITED
        || s.exitCode() == 0
        || (s.message() != null && !s.message().isEmpty())
        || s.logPath() == null
        || s.logPath().isEmpty()) {
      return s;
    }
    Container spec =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(s.metadata().name()))
            .findFirst()
            .orElse(null);
    if (spec == null || !"FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy())) {
      return s;
    }
    Path log = Path.of(s.logPath());
    if (!log.isAbsolute()) {
      log = podLogDirectory.resolve(log);
    }
    String tail;
    try {
      tail =
          ContainerLogReader.read(log, new ContainerLogReader.Options(null, MAX_LINES, true, true))
              .stream()
              .map(LogEntry::content)
              .collect(Collectors.joining("\n"));
    } catch (RuntimeException e) {
      return s;
    }
    byte[] b = tail.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_BYTES) {
      tail = new String(b, b.length - MAX_BYTES, MAX_BYTES, StandardCharsets.UTF_8);
    }
    return new ContainerStatus(
        s.id(),
        s.podSandboxId(),
        s.metadata(),
        s.state(),
        s.createdAt(),
        s.startedAt(),
        s.finishedAt(),
        s.exitCode(),
        s.image(),
        s.imageRef(),
        s.reason(),
        tail,
        s.labels(),
        s.annotations(),
        s.mounts(),
        s.logPath(),
        s.resources(),
        s.pid());
  }
}
