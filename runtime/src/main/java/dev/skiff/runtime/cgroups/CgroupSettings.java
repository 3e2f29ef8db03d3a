package dev.skiff.runtime.cgroups;

import dev.skiff.runtime.LinuxContainerResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Translates resources into the interface files of cgroup v1 or v2. */
public final class CgroupSettings {
  private CgroupSettings() {}

  public static List<CgroupWrite> of(CgroupVersion version, LinuxContainerResources r) {
    return version == CgroupVersion.V1 ? v1(r) : v2(r);
  }

  static List<CgroupWrite> v1(LinuxContainerResources r) {
    List<CgroupWrite> out = new ArrayList<>();
    if (r.cpuShares() > 0) out.add(new CgroupWrite("cpu", "cpu.shares", str(r.cpuShares())));
    if (r.cpuPeriod() > 0) {
      out.add(new CgroupWrite("cpu", "cpu.cfs_period_us", str(r.cpuPeriod())));
    }
    if (r.cpuQuota() != 0) {
      out.add(new CgroupWrite("cpu", "cpu.cfs_quota_us", str(r.cpuQuota())));
    }
    if (r.memoryLimitInBytes() > 0) {
      out.add(new CgroupWrite("memory", "memory.limit_in_bytes", str(r.memoryLimitInBytes())));
    }
    if (r.pidsLimit() > 0) out.add(new CgroupWrite("pids", "pids.max", str(r.pidsLimit())));
    if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
      out.add(new CgroupWrite("cpuset", "cpuset.cpus", r.cpusetCpus()));
    }
    if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
      out.add(new CgroupWrite("cpuset", "cpuset.mems", r.cpusetMems()));
    }
    return out;
  }

  static List<CgroupWrite> v2(LinuxContainerResources r) {
    List<CgroupWrite> out = new ArrayList<>();
    if (r.cpuShares() > 0) {
      out.add(
          new CgroupWrite("", "cpu.weight", str(CpuConversion.weightFromShares(r.cpuShares()))));
    }
    if (r.cpuQuota() != 0 || r.cpuPeriod() > 0) {
      long period = r.cpuPeriod() > 0 ? r.cpuPeriod() : CpuConversion.DEFAULT_PERIOD_US;
      String quota = r.cpuQuota() > 0 ? str(r.cpuQuota()) : "max";
      out.add(new CgroupWrite("", "cpu.max", quota + " " + period));
    }
    if (r.memoryLimitInBytes() > 0) {
      out.add(new CgroupWrite("", "memory.max", str(r.memoryLimitInBytes())));
    }
    if (r.pidsLimit() > 0) out.add(new CgroupWrite("", "pids.max", str(r.pidsLimit())));
    if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
      out.add(new CgroupWrite("", "cpuset.cpus", r.cpusetCpus()));
    }
    if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
      out.add(new CgroupWrite("", "cpuset.mems", r.cpusetMems()));
    }
    for (Map.Entry<String, String> e : r.unified().entrySet()) {
      out.add(new CgroupWrite("", e.getKey(), e.getValue()));
    }
    return out;
  }

  private static String str(long v) {
    return Long.toString(v);
  }
}
