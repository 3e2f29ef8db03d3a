package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.Capabilities;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.LinuxContainerConfig;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.SecurityProfile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Security context settings, observed from inside real containers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityContextTest {
  RuncFixture f;
  PodSandboxConfig pod;
  String sandbox;

  @BeforeAll
  void setUp() throws Exception {
    f = new RuncFixture();
    pod = f.pod("secure", NamespaceOptions.DEFAULT, null);
    sandbox = f.runtime.runPodSandbox(pod, null);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (f != null) f.close();
  }

  String start(String name, LinuxContainerSecurityContext sc) {
    var c =
        new ContainerConfig(
            new ContainerMetadata(name, 0),
            new ImageSpec("busybox:1.35"),
            List.of("sleep", "600"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            false,
            new LinuxContainerConfig(null, sc));
    return f.run(sandbox, pod, c);
  }

  int exit(String c, String script) {
    return f.runtime.execSync(c, List.of("sh", "-c", script), Duration.ofSeconds(10)).exitCode();
  }

  @Test
  void runAsUserGroupAndReadOnlyRoot() {
    var sc =
        new LinuxContainerSecurityContext(
            null, false, null, 1000L, null, 3000L, List.of(4000L), true, true, null, null, null);
    String c = start("ro", sc);
    assertEquals(
        "uid=1000 gid=3000 groups=3000,4000", f.exec(c, "id").replaceAll("\\([a-z]+\\)", ""));
    assertNotEquals(0, exit(c, "touch /x"), "root filesystem is read-only");
    assertEquals(0, exit(c, "touch /tmp/../dev/shm/ok"), "/dev/shm stays writable");
    assertEquals("1", f.exec(c, "sh", "-c", "grep NoNewPrivs /proc/self/status | tr -dc 0-9"));
  }

  @Test
  void capabilitiesAndSeccompRuntimeDefault() {
    var unconfined =
        new LinuxContainerSecurityContext(
            new Capabilities(List.of("SYS_ADMIN"), List.of("CHOWN")),
            false,
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            SecurityProfile.UNCONFINED,
            null,
            null);
    var confined =
        new LinuxContainerSecurityContext(
            new Capabilities(List.of("SYS_ADMIN"), List.of("CHOWN")),
            false,
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            SecurityProfile.RUNTIME_DEFAULT,
            null,
            null);
    String u = start("unconfined", unconfined);
    String d = start("confined", confined);
    assertNotEquals(0, exit(u, "chown 65534 /tmp"), "CHOWN was dropped");
    assertEquals(0, exit(u, "mkdir -p /m && mount -t tmpfs none /m"), "SYS_ADMIN was added");
    assertNotEquals(
        0, exit(d, "mkdir -p /m && mount -t tmpfs none /m"), "RuntimeDefault refuses mount");
    assertTrue(f.exec(d, "cat", "/proc/self/status").contains("Seccomp:\t2"));
  }
}
