package dev.skiff.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.runtime.Capabilities;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.KeyValue;
import dev.skiff.runtime.LinuxContainerConfig;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.MountPropagation;
import dev.skiff.runtime.SecurityProfile;
import dev.skiff.runtime.image.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecsTest {
  static final ImageConfig IMAGE =
      new ImageConfig(
          List.of("/entry"), List.of("default-cmd"), List.of("FOO=image", "BAR=1"), "/work", "");
  static final SandboxFiles FILES =
      new SandboxFiles("/s/hosts", "/s/resolv.conf", "/s/hostname", "/s/shm", "/c/termination-log");
  static final Namespaces JOIN =
      new Namespaces("/var/run/netns/x", "/proc/42/ns/ipc", "/proc/42/ns/uts", Namespaces.NEW);

  static ContainerConfig config(
      List<String> command,
      List<String> args,
      LinuxContainerSecurityContext sc,
      List<Mount> mounts) {
    return new ContainerConfig(
        new ContainerMetadata("app", 0),
        new ImageSpec("busybox:1.35"),
        command,
        args,
        null,
        List.of(new KeyValue("FOO", "pod")),
        mounts,
        null,
        null,
        null,
        null,
        false,
        false,
        false,
        new LinuxContainerConfig(
            new LinuxContainerResources(100_000, 20_000, 204, 64 << 20, -997, null, null, 0, null),
            sc));
  }

  static ObjectNode generate(ContainerConfig c) {
    return OciSpecs.container(
        new ContainerSpecInput(
            c,
            IMAGE,
            "/rootfs",
            FILES,
            JOIN,
            "/kubepods/burstable/podu/c1",
            "web-0",
            Map.of(),
            new ResolvedUser(1000, 1000, List.of(10L)),
            -1000));
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static JsonNode mountAt(JsonNode spec, String dest) {
    for (JsonNode m : spec.get("mounts")) if (m.get("destination").asText().equals(dest)) return m;
    return null;
  }

  @Test
  void commandReplacesEntrypointAndArgsReplaceCmd() {
    LinuxContainerSecurityContext sc = LinuxContainerSecurityContext.defaults();
    assertEquals(
        List.of("/entry", "default-cmd"),
        texts(generate(config(null, null, sc, null)).at("/process/args")));
    assertEquals(
        List.of("/entry", "x"),
        texts(generate(config(null, List.of("x"), sc, null)).at("/process/args")));
    assertEquals(
        List.of("sh", "-c", "y"),
        texts(generate(config(List.of("sh"), List.of("-c", "y"), sc, null)).at("/process/args")));
  }

  @Test
  void noCommandAnywhereIsAnError() {
    ContainerConfig c = config(null, null, LinuxContainerSecurityContext.defaults(), null);
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () ->
                OciSpecs.container(
                    new ContainerSpecInput(
                        c,
                        ImageConfig.EMPTY,
                        "/r",
                        FILES,
                        JOIN,
                        "/cg",
                        "h",
                        Map.of(),
                        ResolvedUser.ROOT,
                        0)));
    assertEquals(ContainerRuntimeException.Code.INVALID_ARGUMENT, e.code());
  }

  @Test
  void envLayersImageThenPodAndSetsHostname() {
    List<String> env =
        texts(
            generate(config(null, null, LinuxContainerSecurityContext.defaults(), null))
                .at("/process/env"));
    assertTrue(env.contains("FOO=pod"));
    assertTrue(env.contains("BAR=1"));
    assertTrue(env.contains("HOSTNAME=web-0"));
    assertFalse(env.contains("FOO=image"));
    assertTrue(env.stream().anyMatch(e -> e.startsWith("PATH=")));
  }

  @Test
  void joinsSandboxNamespacesAndOwnsMountAndPid() {
    JsonNode spec = generate(config(null, null, LinuxContainerSecurityContext.defaults(), null));
    JsonNode ns = spec.at("/linux/namespaces");
    List<String> types = new ArrayList<>();
    for (JsonNode n : ns) {
      types.add(n.get("type").asText());
      switch (n.get("type").asText()) {
        case "network" -> assertEquals("/var/run/netns/x", n.get("path").asText());
        case "ipc" -> assertEquals("/proc/42/ns/ipc", n.get("path").asText());
        case "uts" -> assertEquals("/proc/42/ns/uts", n.get("path").asText());
        default -> assertFalse(n.has("path"), n.toString());
      }
    }
    assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), types);
    assertFalse(spec.has("hostname"), "hostname comes from the shared UTS namespace");
  }

  @Test
  void hostNamespacesAreOmitted() {
    ContainerConfig c = config(null, null, LinuxContainerSecurityContext.defaults(), null);
    JsonNode spec =
        OciSpecs.container(
            new ContainerSpecInput(
                c,
                IMAGE,
                "/r",
                FILES,
                new Namespaces(Namespaces.HOST, Namespaces.HOST, Namespaces.HOST, Namespaces.HOST),
                "/cg",
                "node1",
                Map.of(),
                ResolvedUser.ROOT,
                0));
    List<String> types = new ArrayList<>();
    spec.at("/linux/namespaces").forEach(n -> types.add(n.get("type").asText()));
    assertEquals(List.of("mount"), types);
  }

  @Test
  void sharedFilesAreBoundAndUserMountsWin() {
    Mount hosts = new Mount("/etc/hosts", "/kubelet/hosts", true);
    Mount data = new Mount("/data/", "/vol/data", false, MountPropagation.HOST_TO_CONTAINER);
    JsonNode spec =
        generate(
            config(null, null, LinuxContainerSecurityContext.defaults(), List.of(hosts, data)));
    assertEquals("/s/shm", mountAt(spec, "/dev/shm").get("source").asText());
    assertEquals("/s/resolv.conf", mountAt(spec, "/etc/resolv.conf").get("source").asText());
    assertEquals("/s/hostname", mountAt(spec, "/etc/hostname").get("source").asText());
    assertEquals(
        "/c/termination-log", mountAt(spec, "/dev/termination-log").get("source").asText());
    assertEquals("/kubelet/hosts", mountAt(spec, "/etc/hosts").get("source").asText());
    assertTrue(texts(mountAt(spec, "/etc/hosts").get("options")).contains("ro"));
    assertEquals(List.of("rbind", "rslave", "rw"), texts(mountAt(spec, "/data").get("options")));
    long hostsMounts = 0;
    for (JsonNode m : spec.get("mounts"))
      if (m.get("destination").asText().equals("/etc/hosts")) hostsMounts++;
    assertEquals(1, hostsMounts);
    assertEquals("ro", texts(mountAt(spec, "/sys").get("options")).getLast());
  }

  @Test
  void unprivilegedDefaults() {
    JsonNode spec = generate(config(null, null, LinuxContainerSecurityContext.defaults(), null));
    assertEquals(OciDefaults.CAPABILITIES, texts(spec.at("/process/capabilities/bounding")));
    assertEquals(OciDefaults.MASKED_PATHS, texts(spec.at("/linux/maskedPaths")));
    assertEquals(OciDefaults.READONLY_PATHS, texts(spec.at("/linux/readonlyPaths")));
    assertFalse(spec.at("/process/noNewPrivileges").asBoolean());
    assertFalse(spec.at("/root/readonly").asBoolean());
    assertFalse(spec.at("/linux").has("seccomp"), "Unconfined is the kubelet default");
    assertEquals(1000, spec.at("/process/user/uid").asInt());
    assertEquals(List.of("10"), texts(spec.at("/process/user/additionalGids")));
    assertEquals("/work", spec.at("/process/cwd").asText());
  }

  @Test
  void securityContextSettingsApply() {
    var sc =
        new LinuxContainerSecurityContext(
            new Capabilities(List.of("net_admin"), List.of("CAP_KILL", "chown")),
            false,
            null,
            null,
            null,
            null,
            null,
            true,
            true,
            SecurityProfile.RUNTIME_DEFAULT,
            List.of(),
            List.of());
    JsonNode spec = generate(config(null, null, sc, null));
    List<String> caps = texts(spec.at("/process/capabilities/effective"));
    assertTrue(caps.contains("CAP_NET_ADMIN"));
    assertFalse(caps.contains("CAP_KILL"));
    assertFalse(caps.contains("CAP_CHOWN"));
    assertTrue(spec.at("/process/noNewPrivileges").asBoolean());
    assertTrue(spec.at("/root/readonly").asBoolean());
    assertTrue(texts(mountAt(spec, "/etc/resolv.conf").get("options")).contains("ro"));
    assertEquals(0, spec.at("/linux/maskedPaths").size(), "procMount Unmasked");
    assertEquals("SCMP_ACT_ALLOW", spec.at("/linux/seccomp/defaultAction").asText());
    assertTrue(texts(spec.at("/linux/seccomp/syscalls/0/names")).contains("mount"));
  }

  @Test
  void dropAllThenAddKeepsOnlyAdded() {
    assertEquals(
        List.of("CAP_NET_BIND_SERVICE"),
        OciSpecs.capabilities(new Capabilities(List.of("NET_BIND_SERVICE"), List.of("ALL"))));
  }

  @Test
  void privilegedGetsEverything() {
    var sc =
        new LinuxContainerSecurityContext(
            null,
            true,
            null,
            null,
            null,
            null,
            null,
            false,
            true,
            SecurityProfile.RUNTIME_DEFAULT,
            null,
            null);
    JsonNode spec = generate(config(null, null, sc, null));
    assertTrue(texts(spec.at("/process/capabilities/bounding")).contains("CAP_SYS_ADMIN"));
    assertFalse(spec.at("/linux").has("maskedPaths"));
    assertFalse(spec.at("/linux").has("seccomp"));
    assertFalse(spec.at("/process/noNewPrivileges").asBoolean());
    assertTrue(spec.at("/linux/resources/devices/0/allow").asBoolean());
    assertEquals("rw", texts(mountAt(spec, "/sys").get("options")).getLast());
  }

  @Test
  void resourcesAndCgroupPath() {
    JsonNode spec = generate(config(null, null, LinuxContainerSecurityContext.defaults(), null));
    assertEquals("/kubepods/burstable/podu/c1", spec.at("/linux/cgroupsPath").asText());
    assertEquals(64 << 20, spec.at("/linux/resources/memory/limit").asLong());
    assertEquals(204, spec.at("/linux/resources/cpu/shares").asLong());
    assertEquals(20_000, spec.at("/linux/resources/cpu/quota").asLong());
    assertEquals(100_000, spec.at("/linux/resources/cpu/period").asLong());
    assertFalse(spec.at("/linux/resources/devices/0/allow").asBoolean());
    assertEquals(-997, spec.at("/process/oomScoreAdj").asInt());
  }

  @Test
  void oomScoreAdjNeverBelowWhatTheRuntimeMaySet() {
    ContainerConfig c = config(null, null, LinuxContainerSecurityContext.defaults(), null);
    JsonNode spec =
        OciSpecs.container(
            new ContainerSpecInput(
                c, IMAGE, "/r", FILES, JOIN, "/cg", "h", Map.of(), ResolvedUser.ROOT, 0));
    assertFalse(spec.at("/process").has("oomScoreAdj"));
  }

  @Test
  void sandboxOwnsNamespacesAndHostname() {
    JsonNode spec =
        OciSpecs.sandbox(
            new SandboxSpecInput(
                "/sb/rootfs",
                "/pause",
                "web-0",
                new Namespaces("/var/run/netns/x", Namespaces.NEW, Namespaces.NEW, Namespaces.NEW),
                "/kubepods/besteffort/podu/sb",
                Map.of("net.ipv4.ip_unprivileged_port_start", "0"),
                0));
    assertEquals("web-0", spec.get("hostname").asText());
    assertEquals(List.of("/pause"), texts(spec.at("/process/args")));
    assertTrue(spec.at("/root/readonly").asBoolean());
    assertEquals("0", spec.at("/linux/sysctl/net.ipv4.ip_unprivileged_port_start").asText());
    assertEquals(0, spec.at("/process/capabilities/bounding").size());
    assertEquals("/var/run/netns/x", spec.at("/linux/namespaces/4/path").asText());
  }
}
