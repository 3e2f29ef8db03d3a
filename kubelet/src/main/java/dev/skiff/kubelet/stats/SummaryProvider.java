package dev.skiff.kubelet.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kubelet.node.Meminfo;
import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's {@code /stats/summary} (the Summary API that metrics-server reads): cumulative cpu
 * and memory of the node (from /proc) and of each running container and pod (from the runtime).
 */
public final class SummaryProvider {
  /** USER_HZ: /proc/stat counts in hundredths of a second on Linux. */
  static final long NANOS_PER_TICK = 10_000_000L;

  private final ContainerRuntime runtime;
  private final String nodeName;
  private final Instant startTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final ObjectMapper json = new ObjectMapper();

  public SummaryProvider(ContainerRuntime runtime, String nodeName) {
    this.runtime = runtime;
    this.nodeName = nodeName;
  }

  public ObjectNode summary() {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode root = json.createObjectNode();
    ObjectNode node = root.putObject("node");
    node.put("nodeName", nodeName);
    node.put("startTime", startTime.toString());
    ObjectNode cpu = node.putObject("cpu");
    cpu.put("time", now);
    cpu.put("usageCoreNanoSeconds", nodeCpuNanos());
    Meminfo mem = Meminfo.read();
    ObjectNode memory = node.putObject("memory");
    memory.put("time", now);
    memory.put("availableBytes", mem.availableBytes());
    memory.put("usageBytes", mem.totalBytes() - mem.availableBytes());
    memory.put("workingSetBytes", mem.totalBytes() - mem.availableBytes());

    Map<String, ObjectNode> pods = new LinkedHashMap<>();
    for (Container c :
        runtime.listContainers(
            new ContainerFilter(null, ContainerState.CONTAINER_RUNNING, null, null))) {
      String uid = c.labels().get(PodLabels.POD_UID);
      if (uid == null) {
        continue;
      }
      ContainerStats s;
      try {
        s = runtime.containerStats(c.id());
      } catch (RuntimeException e) {
        continue;
      }
      ObjectNode pod =
          pods.computeIfAbsent(
              uid,
              u -> {
                ObjectNode p = json.createObjectNode();
                ObjectNode ref = p.putObject("podRef");
                ref.put("name", c.labels().get(PodLabels.POD_NAME));
                ref.put("namespace", c.labels().get(PodLabels.POD_NAMESPACE));
                ref.put("uid", u);
                p.putArray("containers");
                p.putObject("cpu").put("time", now).put("usageCoreNanoSeconds", 0L);
                p.putObject("memory")
                    .put("time", now)
                    .put("usageBytes", 0L)
                    .put("workingSetBytes", 0L);
                return p;
              });
      ObjectNode container = ((ArrayNode) pod.get("containers")).addObject();
      container.put("name", c.metadata().name());
      container.put(
          "startTime",
          Instant.ofEpochSecond(0, c.createdAt()).truncatedTo(ChronoUnit.SECONDS).toString());
      container
          .putObject("cpu")
          .put("time", now)
          .put("usageCoreNanoSeconds", s.cpuUsageCoreNanoSeconds());
      container
          .putObject("memory")
          .put("time", now)
          .put("usageBytes", s.memoryUsageBytes())
          .put("workingSetBytes", s.memoryWorkingSetBytes());
      add((ObjectNode) pod.get("cpu"), "usageCoreNanoSeconds", s.cpuUsageCoreNanoSeconds());
      add((ObjectNode) pod.get("memory"), "usageBytes", s.memoryUsageBytes());
      add((ObjectNode) pod.get("memory"), "workingSetBytes", s.memoryWorkingSetBytes());
    }
    ArrayNode list = root.putArray("pods");
    pods.values().forEach(list::add);
    return root;
  }

  private static void add(ObjectNode n, String field, long v) {
    n.put(field, n.path(field).asLong() + v);
  }

  /** Busy cpu time of the node: user, nice, system, irq, softirq and steal, in nanoseconds. */
  public static long nodeCpuNanos() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      return parseCpuNanos(lines.getFirst());
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long parseCpuNanos(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    long busy = 0;
    int[] busyFields = {1, 2, 3, 6, 7, 8};
    for (int i : busyFields) {
      if (i < f.length) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy * NANOS_PER_TICK;
  }
}
