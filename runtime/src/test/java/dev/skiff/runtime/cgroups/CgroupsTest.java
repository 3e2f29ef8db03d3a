package dev.skiff.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.LinuxContainerResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercises the cgroup filesystem logic against a plain directory laid out like one. */
class CgroupsTest {
  static final LinuxContainerResources LIMITS =
      new LinuxContainerResources(100_000, 50_000, 512, 128 << 20, 0, null, null, 100, null);

  @Test
  void detectsVersion(@TempDir Path root) throws Exception {
    assertEquals(CgroupVersion.V1, CgroupVersion.detect(root));
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids");
    assertEquals(CgroupVersion.V2, CgroupVersion.detect(root));
  }

  @Test
  void v1WritesEachControllerAndRemovesEverywhere(@TempDir Path root) throws Exception {
    for (String c : List.of("cpu", "cpuacct", "memory", "pids", "cpuset"))
      Files.createDirectories(root.resolve(c));
    Cgroups cg = new Cgroups(root, CgroupVersion.V1);
    cg.apply("/kubepods/burstable/podu", LIMITS);
    assertEquals("512", Files.readString(root.resolve("cpu/kubepods/burstable/podu/cpu.shares")));
    assertEquals(
        "50000", Files.readString(root.resolve("cpu/kubepods/burstable/podu/cpu.cfs_quota_us")));
    assertEquals(
        String.valueOf(128 << 20),
        Files.readString(root.resolve("memory/kubepods/burstable/podu/memory.limit_in_bytes")));
    assertEquals("100", Files.readString(root.resolve("pids/kubepods/burstable/podu/pids.max")));
    assertTrue(cg.exists("/kubepods/burstable/podu"));
    Files.createDirectories(root.resolve("cpuset/kubepods/burstable/podu/ctr"));
    // Real cgroupfs dirs contain only kernel files; a plain dir needs them emptied first.
    try (var files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) Files.delete(p);
    }
    cg.remove("/kubepods/burstable/podu");
    assertFalse(Files.exists(root.resolve("cpu/kubepods/burstable/podu")));
    assertFalse(Files.exists(root.resolve("cpuset/kubepods/burstable/podu")));
    assertTrue(Files.exists(root.resolve("cpu/kubepods/burstable")));
    cg.remove("/kubepods/burstable/podu");
  }

  @Test
  void v2UsesUnifiedFiles() {
    List<CgroupWrite> writes = CgroupSettings.of(CgroupVersion.V2, LIMITS);
    assertEquals(
        List.of(
            new CgroupWrite("", "cpu.weight", "20"),
            new CgroupWrite("", "cpu.max", "50000 100000"),
            new CgroupWrite("", "memory.max", String.valueOf(128 << 20)),
            new CgroupWrite("", "pids.max", "100")),
        writes);
    var unlimited = new LinuxContainerResources(100_000, 0, 2, 0, 0, null, null, 0, null);
    assertTrue(
        CgroupSettings.of(CgroupVersion.V2, unlimited)
            .contains(new CgroupWrite("", "cpu.max", "max 100000")));
  }

  @Test
  void readsUsageAndOomFiles(@TempDir Path root) throws Exception {
    Path mem = Files.createDirectories(root.resolve("memory/p"));
    Files.createDirectories(root.resolve("cpuacct/p"));
    Files.writeString(root.resolve("cpuacct/p/cpuacct.usage"), "123456\n");
    Files.writeString(mem.resolve("memory.usage_in_bytes"), "1000\n");
    Files.writeString(mem.resolve("memory.stat"), "cache 5\ntotal_inactive_file 300\n");
    Cgroups cg = new Cgroups(root, CgroupVersion.V1);
    assertEquals(123456, cg.cpuUsageNanos("/p"));
    assertEquals(700, cg.memoryWorkingSetBytes("/p"));
    assertEquals(mem.resolve("memory.oom_control"), cg.oomEventsFile("/p"));
  }
}
