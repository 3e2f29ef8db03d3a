package dev.skiff.kubelet.server;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.logs.ContainerLogReader;
import dev.skiff.runtime.logs.CriLogFormat;
import dev.skiff.runtime.logs.LogEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A container's log as {@code kubectl logs} shows it, read from its CRI log file: the current or
 * previous attempt, tail, since, timestamps, a byte limit, and follow until the container exits.
 */
public final class ContainerLogs {
  static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  private final ContainerRuntime runtime;
  private final Path podLogDir;

  /** The container or its log does not exist; the message says which. */
  public static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  public ContainerLogs(ContainerRuntime runtime, Path podLogDir) {
    this.runtime = runtime;
    this.podLogDir = podLogDir;
  }

  ContainerRuntime runtime() {
    return runtime;
  }

  /** The attempt the request is about: newest, or the one before it with {@code previous}. */
  ContainerStatus find(String ns, String pod, String container, boolean previous) {
    var filter =
        new ContainerFilter(
            null,
            null,
            null,
            Map.of(
                PodLabels.POD_NAMESPACE, ns,
                PodLabels.POD_NAME, pod,
                PodLabels.CONTAINER_NAME, container));
    List<ContainerStatus> attempts =
        runtime.listContainers(filter).stream()
            .map(c -> runtime.containerStatus(c.id()))
            .sorted(
                Comparator.comparingInt((ContainerStatus s) -> s.metadata().attempt())
                    .thenComparingLong(ContainerStatus::createdAt)
                    .reversed())
            .toList();
    int index = previous ? 1 : 0;
    if (attempts.size() <= index) {
      if (previous) {
        throw new NotFound(
            "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
      }
      throw new NotFound("container \"" + container + "\" in pod \"" + pod + "\" not found");
    }
    return attempts.get(index);
  }

  Path logPath(ContainerStatus s) {
    Path p = Path.of(s.logPath() == null ? "" : s.logPath());
    if (p.isAbsolute()) {
      return p;
    }
    String ns = s.labels().get(PodLabels.POD_NAMESPACE);
    String pod = s.labels().get(PodLabels.POD_NAME);
    String uid = s.labels().get(PodLabels.POD_UID);
    return podLogDir.resolve(ns + "_" + pod + "_" + uid).resolve(p);
  }

  /**
   * Writes the log to {@code out}; with follow, keeps writing until the container stops running or
   * {@code open} turns false.
   */
  public void write(
      String ns, String pod, String container, LogOptions o, OutputStream out, BooleanSupplier open)
      throws IOException {
    ContainerStatus s = find(ns, pod, container, o.previous());
    Path log = logPath(s);
    Limit limit = new Limit(out, o.limitBytes());
    if (!o.follow() || o.previous()) {
      var entries =
          ContainerLogReader.read(
              log,
              new ContainerLogReader.Options(
                  o.since(), (int) Math.min(Integer.MAX_VALUE, o.tailLines()), true, true));
      for (LogEntry e : entries) {
        if (!limit.write(format(e, o.timestamps()))) {
          break;
        }
      }
      out.flush();
      return;
    }
    follow(s.id(), log, o, limit, out, open);
  }

  private void follow(
      String id, Path log, LogOptions o, Limit limit, OutputStream out, BooleanSupplier open)
      throws IOException {
    var initial =
        ContainerLogReader.read(
            log,
            new ContainerLogReader.Options(
                o.since(), (int) Math.min(Integer.MAX_VALUE, o.tailLines()), true, true));
    long offset = Files.exists(log) ? Files.size(log) : 0;
    for (LogEntry e : initial) {
      if (!limit.write(format(e, o.timestamps()))) {
        out.flush();
        return;
      }
    }
    out.flush();
    StringBuilder partial = new StringBuilder();
    while (open.getAsBoolean()) {
      long size = Files.exists(log) ? Files.size(log) : 0;
      if (size < offset) {
        offset = 0; // rotated: the live file starts over
      }
      if (size > offset) {
        byte[] chunk;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
          f.seek(offset);
          chunk = new byte[(int) Math.min(size - offset, 1 << 20)];
          f.readFully(chunk);
        }
        offset += chunk.length;
        partial.append(new String(chunk, StandardCharsets.UTF_8));
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          String line = partial.substring(0, nl);
          partial.delete(0, nl + 1);
          var rec = CriLogFormat.parse(line);
          if (rec.isEmpty()) {
            continue;
          }
          var r = rec.get();
          String text = r.content() + (r.partial() ? "" : "\n");
          if (o.timestamps()) {
            text = r.timestamp() + " " + text;
          }
          if (!limit.write(text)) {
            out.flush();
            return;
          }
        }
        out.flush();
        continue;
      }
      if (!running(id)) {
        return;
      }
      try {
        Thread.sleep(FOLLOW_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean running(String id) {
    try {
      return runtime.containerStatus(id).state() == ContainerState.CONTAINER_RUNNING;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static String format(LogEntry e, boolean timestamps) {
    return (timestamps ? e.timestamp() + " " : "") + e.content() + "\n";
  }

  /** Writes up to {@code limitBytes} (all when negative), cutting the last line if needed. */
  private static final class Limit {
    private final OutputStream out;
    private long left;

    Limit(OutputStream out, long limitBytes) {
      this.out = out;
      this.left = limitBytes < 0 ? Long.MAX_VALUE : limitBytes;
    }

    boolean write(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length >= left) {
        out.write(b, 0, (int) left);
        left = 0;
        return false;
      }
      out.write(b);
      left -= b.length;
      return true;
    }
  }
}
