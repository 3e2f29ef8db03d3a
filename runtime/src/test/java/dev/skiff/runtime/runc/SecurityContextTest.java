package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.Capabilities;
import dev.skiff.runtime.LinuxContainerConfig;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.SecurityProfile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Security context settings, observed from inside real containers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityContextTest extends SharedPodTest {

  SecurityContextTest() {
    super("secure");
  }

  String start(String name, LinuxContainerSecurityContext sc) {
    return f.run(
        sandbox,
        pod,
        RuncFixture.container(
            name, List.of("sleep", "600"), null, new LinuxContainerConfig(null, sc)));
  }

  int exit(String c, String script) {
    return f.runtime.execSync(c, List.of("sh", "-c", script), Duration.ofSeconds(10)).exitCode();
  }

  static LinuxContainerSecurityContext addsSysAdminDropsChown(SecurityProfile seccomp) {
    return new LinuxContainerSecurityContext(
        new Capabilities(List.of("SYS_ADMIN"), List.of("CHOWN")),
        false,
        null,
        null,
        null,
        null,
        null,
        false,
        false,
        seccomp,
        null,
        null);
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
    String u = start("unconfined", addsSysAdminDropsChown(SecurityProfile.UNCONFINED));
    String d = start("confined", addsSysAdminDropsChown(SecurityProfile.RUNTIME_DEFAULT));
    assertNotEquals(0, exit(u, "chown 65534 /tmp"), "CHOWN was dropped");
    assertEquals(0, exit(u, "mkdir -p /m && mount -t tmpfs none /m"), "SYS_ADMIN was added");
    assertNotEquals(
        0, exit(d, "mkdir -p /m && mount -t tmpfs none /m"), "RuntimeDefault refuses mount");
    assertTrue(f.exec(d, "cat", "/proc/self/status").contains("Seccomp:\t2"));
  }
}
