package dev.skiff.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.runtime.Capabilities;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.KeyValue;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.SecurityProfile;
import dev.skiff.runtime.image.ImageConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Generates OCI runtime specs (config.json) for pause and app containers: pure functions. */
public final class OciSpecs {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String OCI_VERSION = "1.0.2";

  private OciSpecs() {}

  /** The pause container: owns the pod's namespaces, runs as root with no capabilities. */
  public static ObjectNode sandbox(SandboxSpecInput in) {
    ObjectNode spec = base(in.rootfs(), true);
    ObjectNode process = spec.putObject("process");
    process.put("terminal", false);
    process.putObject("user").put("uid", 0).put("gid", 0);
    process.putArray("args").add(in.pausePath());
    process.putArray("env").add(OciDefaults.PATH);
    process.put("cwd", "/");
    capabilities(process, List.of());
    process.put("noNewPrivileges", true);
    if (in.oomScoreAdj() != 0) process.put("oomScoreAdj", in.oomScoreAdj());
    if (in.namespaces().uts().equals(Namespaces.NEW) && in.hostname() != null) {
      spec.put("hostname", in.hostname());
    }
    mounts(spec, false, false);
    ObjectNode linux = spec.putObject("linux");
    namespaces(linux, in.namespaces());
    linux.put("cgroupsPath", in.cgroupsPath());
    linux
        .putObject("resources")
        .putArray("devices")
        .addObject()
        .put("allow", false)
        .put("access", "rwm");
    if (!in.sysctls().isEmpty()) {
      ObjectNode sysctl = linux.putObject("sysctl");
      in.sysctls().forEach(sysctl::put);
    }
    pathList(linux, "maskedPaths", OciDefaults.MASKED_PATHS);
    pathList(linux, "readonlyPaths", OciDefaults.READONLY_PATHS);
    return spec;
  }

  /** An app container joining its sandbox's namespaces. */
  public static ObjectNode container(ContainerSpecInput in) {
    ContainerConfig c = in.config();
    LinuxContainerSecurityContext sc = c.linux().securityContext();
    boolean privileged = sc.privileged();
    ObjectNode spec = base(in.rootfs(), sc.readonlyRootfs());

    ObjectNode process = spec.putObject("process");
    process.put("terminal", c.tty());
    ObjectNode user = process.putObject("user");
    user.put("uid", in.user().uid()).put("gid", in.user().gid());
    if (!in.user().additionalGids().isEmpty()) {
      ArrayNode gids = user.putArray("additionalGids");
      in.user().additionalGids().forEach(gids::add);
    }
    ArrayNode args = process.putArray("args");
    args(c, in.image()).forEach(args::add);
    ArrayNode env = process.putArray("env");
    env(c, in.image(), in.hostname()).forEach(env::add);
    String cwd =
        c.workingDir() != null && !c.workingDir().isEmpty()
            ? c.workingDir()
            : in.image().workingDir();
    process.put("cwd", cwd.isEmpty() ? "/" : cwd);
    capabilities(
        process, privileged ? OciDefaults.ALL_CAPABILITIES : capabilities(sc.capabilities()));
    process.put("noNewPrivileges", sc.noNewPrivs() && !privileged);
    LinuxContainerResources r = c.linux().resources();
    long oomScoreAdj = Math.max(r.oomScoreAdj(), in.minOomScoreAdj());
    if (oomScoreAdj != 0) process.put("oomScoreAdj", oomScoreAdj);

    if (in.namespaces().uts().equals(Namespaces.NEW) && in.hostname() != null) {
      spec.put("hostname", in.hostname());
    }
    Set<String> userTargets = new HashSet<>();
    c.mounts().forEach(m -> userTargets.add(clean(m.containerPath())));
    ArrayNode mounts = mounts(spec, privileged, userTargets.contains("/sys/fs/cgroup"));
    SandboxFiles f = in.files();
    boolean ro = sc.readonlyRootfs();
    if (f != null) {
      bind(
          mounts, userTargets, "/dev/shm", f.shm(), false, "rprivate", "nosuid", "nodev", "noexec");
      bind(mounts, userTargets, "/etc/hosts", f.hosts(), ro, "rprivate");
      bind(mounts, userTargets, "/etc/resolv.conf", f.resolvConf(), ro, "rprivate");
      bind(mounts, userTargets, "/etc/hostname", f.hostname(), ro, "rprivate");
      bind(mounts, userTargets, "/dev/termination-log", f.terminationLog(), false, "rprivate");
    }
    for (Mount m : c.mounts()) {
      String propagation =
          switch (m.propagation()) {
            case PRIVATE -> "rprivate";
            case HOST_TO_CONTAINER -> "rslave";
            case BIDIRECTIONAL -> "rshared";
          };
      bind(mounts, Set.of(), clean(m.containerPath()), m.hostPath(), m.readonly(), propagation);
    }

    ObjectNode linux = spec.putObject("linux");
    namespaces(linux, in.namespaces());
    linux.put("cgroupsPath", in.cgroupsPath());
    ObjectNode resources = linux.putObject("resources");
    ArrayNode devices = resources.putArray("devices");
    devices.addObject().put("allow", privileged).put("access", "rwm");
    for (var d : c.devices()) {
      devices
          .addObject()
          .put("allow", true)
          .put("access", d.permissions() == null ? "rwm" : d.permissions())
          .put("path", d.hostPath());
    }
    resources(resources, r);
    if (!privileged) {
      pathList(
          linux,
          "maskedPaths",
          sc.maskedPaths() == null ? OciDefaults.MASKED_PATHS : sc.maskedPaths());
      pathList(
          linux,
          "readonlyPaths",
          sc.readonlyPaths() == null ? OciDefaults.READONLY_PATHS : sc.readonlyPaths());
      if (sc.seccomp().type() == SecurityProfile.Type.RUNTIME_DEFAULT) seccomp(linux);
      else if (sc.seccomp().type() == SecurityProfile.Type.LOCALHOST) {
        throw new ContainerRuntimeException(
            ContainerRuntimeException.Code.INVALID_ARGUMENT,
            "seccomp Localhost profiles are not supported: " + sc.seccomp().localhostRef());
      }
    }
    if (!c.devices().isEmpty()) {
      ArrayNode ld = linux.putArray("devices");
      for (var d : c.devices()) ld.addObject().put("path", d.containerPath()).put("type", "c");
    }
    return spec;
  }

  /** Pod spec semantics: command replaces the entrypoint, args replace cmd. */
  static List<String> args(ContainerConfig c, ImageConfig image) {
    List<String> out = new ArrayList<>();
    if (!c.command().isEmpty()) {
      out.addAll(c.command());
      out.addAll(c.args());
    } else {
      out.addAll(image.entrypoint());
      out.addAll(c.args().isEmpty() ? image.cmd() : c.args());
    }
    if (out.isEmpty()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "no command specified");
    }
    return out;
  }

  /** HOSTNAME, then the image's env, then the container's (later keys win, order kept). */
  static List<String> env(ContainerConfig c, ImageConfig image, String hostname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", OciDefaults.PATH.substring("PATH=".length()));
    if (hostname != null) env.put("HOSTNAME", hostname);
    for (String kv : image.env()) {
      int eq = kv.indexOf('=');
      if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    for (KeyValue kv : c.envs()) env.put(kv.key(), kv.value() == null ? "" : kv.value());
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /** The default set plus adds minus drops; {@code ALL} in either list means every capability. */
  static List<String> capabilities(Capabilities caps) {
    Set<String> set = new LinkedHashSet<>(OciDefaults.CAPABILITIES);
    for (String a : caps.add()) {
      if (a.equalsIgnoreCase("ALL")) set.addAll(OciDefaults.ALL_CAPABILITIES);
      else set.add(capName(a));
    }
    for (String d : caps.drop()) {
      if (d.equalsIgnoreCase("ALL")) set.clear();
      else set.remove(capName(d));
    }
    if (caps.drop().stream().anyMatch(d -> d.equalsIgnoreCase("ALL"))) {
      for (String a : caps.add()) if (!a.equalsIgnoreCase("ALL")) set.add(capName(a));
    }
    return List.copyOf(set);
  }

  private static String capName(String c) {
    String up = c.toUpperCase(Locale.ROOT);
    return up.startsWith("CAP_") ? up : "CAP_" + up;
  }

  private static ObjectNode base(String rootfs, boolean readonly) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("ociVersion", OCI_VERSION);
    spec.putObject("root").put("path", rootfs).put("readonly", readonly);
    return spec;
  }

  private static void capabilities(ObjectNode process, List<String> caps) {
    ObjectNode node = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = node.putArray(set);
      caps.forEach(a::add);
    }
  }

  private static ArrayNode mounts(ObjectNode spec, boolean privileged, boolean userCgroup) {
    ArrayNode mounts = spec.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
        "gid=5");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro");
    if (!userCgroup) {
      mount(
          mounts,
          "/sys/fs/cgroup",
          "cgroup",
          "cgroup",
          "nosuid",
          "noexec",
          "nodev",
          "relatime",
          privileged ? "rw" : "ro");
    }
    return mounts;
  }

  private static void mount(
      ArrayNode mounts, String dest, String type, String source, String... options) {
    ObjectNode m =
        mounts.addObject().put("destination", dest).put("type", type).put("source", source);
    ArrayNode o = m.putArray("options");
    for (String s : options) o.add(s);
  }

  private static void bind(
      ArrayNode mounts,
      Set<String> overridden,
      String dest,
      String source,
      boolean readonly,
      String propagation,
      String... extra) {
    if (source == null || overridden.contains(dest)) return;
    List<String> options = new ArrayList<>(List.of("rbind", propagation, readonly ? "ro" : "rw"));
    options.addAll(List.of(extra));
    mount(mounts, dest, "bind", source, options.toArray(String[]::new));
  }

  private static void namespaces(ObjectNode linux, Namespaces ns) {
    ArrayNode list = linux.putArray("namespaces");
    namespace(list, "pid", ns.pid());
    namespace(list, "ipc", ns.ipc());
    namespace(list, "uts", ns.uts());
    list.addObject().put("type", "mount");
    namespace(list, "network", ns.network());
  }

  private static void namespace(ArrayNode list, String type, String how) {
    if (how.equals(Namespaces.HOST)) return;
    ObjectNode n = list.addObject().put("type", type);
    if (!how.equals(Namespaces.NEW)) n.put("path", how);
  }

  private static void resources(ObjectNode resources, LinuxContainerResources r) {
    if (r.memoryLimitInBytes() > 0)
      resources.putObject("memory").put("limit", r.memoryLimitInBytes());
    ObjectNode cpu = JSON.createObjectNode();
    if (r.cpuShares() > 0) cpu.put("shares", r.cpuShares());
    if (r.cpuQuota() > 0) cpu.put("quota", r.cpuQuota());
    if (r.cpuPeriod() > 0) cpu.put("period", r.cpuPeriod());
    if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) cpu.put("cpus", r.cpusetCpus());
    if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) cpu.put("mems", r.cpusetMems());
    if (!cpu.isEmpty()) resources.set("cpu", cpu);
    if (r.pidsLimit() > 0) resources.putObject("pids").put("limit", r.pidsLimit());
    if (!r.unified().isEmpty()) {
      ObjectNode u = resources.putObject("unified");
      r.unified().forEach(u::put);
    }
  }

  private static void pathList(ObjectNode linux, String field, List<String> paths) {
    ArrayNode a = linux.putArray(field);
    paths.forEach(a::add);
  }

  private static void seccomp(ObjectNode linux) {
    ObjectNode s = linux.putObject("seccomp");
    s.put("defaultAction", "SCMP_ACT_ALLOW");
    s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
    ObjectNode rule = s.putArray("syscalls").addObject();
    ArrayNode names = rule.putArray("names");
    OciDefaults.SECCOMP_DENIED.forEach(names::add);
    rule.put("action", "SCMP_ACT_ERRNO");
    rule.put("errnoRet", 1);
  }

  private static String clean(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Serialised config.json bytes. */
  public static byte[] toJson(JsonNode spec) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
