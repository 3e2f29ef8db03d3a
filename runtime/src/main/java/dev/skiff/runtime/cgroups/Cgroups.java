package dev.skiff.runtime.cgroups;

import dev.skiff.runtime.LinuxContainerResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cgroup filesystem: creates, limits, reads and removes cgroups by their path (such as {@code
 * /kubepods/burstable/pod<uid>}). runc creates each container's own cgroup; this class manages the
 * pod level above it and reads usage.
 */
public final class Cgroups {
  /** v1 hierarchies a pod cgroup is created in (cpuset is left to runc, which seeds it). */
  private static final List<String> V1_POD_CONTROLLERS =
      List.of("cpu", "cpuacct", "memory", "pids");

  private final Path root;
  private final CgroupVersion version;

  public Cgroups(Path root, CgroupVersion version) {
    this.root = root;
    this.version = version;
  }

  public static Cgroups host() {
    Path root = Path.of("/sys/fs/cgroup");
    return new Cgroups(root, CgroupVersion.detect(root));
  }

  public CgroupVersion version() {
    return version;
  }

  /** Creates the cgroup (and its parents) and applies the resources. */
  public void apply(String cgroup, LinuxContainerResources resources) {
    try {
      if (version == CgroupVersion.V1) {
        for (String c : V1_POD_CONTROLLERS) Files.createDirectories(dir(c, cgroup));
      } else {
        createV2(cgroup);
      }
      for (CgroupWrite w : CgroupSettings.of(version, resources)) {
        Files.writeString(dir(w.controller(), cgroup).resolve(w.file()), w.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot configure cgroup " + cgroup + ": " + e.getMessage(), e);
    }
  }

  /** v2 needs the controllers enabled in every ancestor's subtree_control. */
  private void createV2(String cgroup) throws IOException {
    Path p = root;
    for (String part : cgroup.replaceFirst("^/", "").split("/")) {
      Path ctl = p.resolve("cgroup.subtree_control");
      for (String c : List.of("+cpu", "+memory", "+pids")) {
        try {
          Files.writeString(ctl, c);
        } catch (IOException e) {
          // A controller the kernel lacks or that is busy stays disabled; limits on it fail later.
        }
      }
      p = p.resolve(part);
      Files.createDirectories(p);
    }
  }

  /** Removes the cgroup and any empty child cgroups, in every hierarchy; absent is fine. */
  public void remove(String cgroup) {
    List<Path> dirs = new ArrayList<>();
    if (version == CgroupVersion.V1) {
      try (Stream<Path> hierarchies = Files.list(root)) {
        hierarchies
            .filter(h -> !Files.isSymbolicLink(h) && Files.isDirectory(h))
            .forEach(h -> dirs.add(h.resolve(cgroup.replaceFirst("^/", ""))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      dirs.add(dir("", cgroup));
    }
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> tree = Files.walk(d)) {
        for (Path sub :
            tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(sub);
        }
      } catch (NoSuchFileException e) {
        // Removed concurrently.
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove cgroup " + d + ": " + e.getMessage(), e);
      }
    }
  }

  public boolean exists(String cgroup) {
    return Files.isDirectory(dir(version == CgroupVersion.V1 ? "memory" : "", cgroup));
  }

  /** The file whose {@code oom_kill} counter says whether the OOM killer struck. */
  public Path oomEventsFile(String cgroup) {
    return version == CgroupVersion.V1
        ? dir("memory", cgroup).resolve("memory.oom_control")
        : dir("", cgroup).resolve("memory.events");
  }

  /** Cumulative cpu time in nanoseconds. */
  public long cpuUsageNanos(String cgroup) {
    if (version == CgroupVersion.V1) {
      return readLong(dir("cpuacct", cgroup).resolve("cpuacct.usage"));
    }
    return statValue(dir("", cgroup).resolve("cpu.stat"), "usage_usec") * 1000;
  }

  public long memoryUsageBytes(String cgroup) {
    return version == CgroupVersion.V1
        ? readLong(dir("memory", cgroup).resolve("memory.usage_in_bytes"))
        : readLong(dir("", cgroup).resolve("memory.current"));
  }

  /** Usage minus inactive file cache, as upstream's working set. */
  public long memoryWorkingSetBytes(String cgroup) {
    long usage = memoryUsageBytes(cgroup);
    long inactive =
        version == CgroupVersion.V1
            ? statValue(dir("memory", cgroup).resolve("memory.stat"), "total_inactive_file")
            : statValue(dir("", cgroup).resolve("memory.stat"), "inactive_file");
    return Math.max(0, usage - inactive);
  }

  /** Number of CFS periods in which the cgroup was throttled. */
  public long throttledPeriods(String cgroup) {
    return statValue(
        dir(version == CgroupVersion.V1 ? "cpu" : "", cgroup).resolve("cpu.stat"), "nr_throttled");
  }

  public String read(String controller, String cgroup, String file) {
    try {
      return Files.readString(dir(controller, cgroup).resolve(file)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path dir(String controller, String cgroup) {
    Path base = version == CgroupVersion.V1 ? root.resolve(controller) : root;
    return base.resolve(cgroup.replaceFirst("^/", ""));
  }

  private static long readLong(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static long statValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
