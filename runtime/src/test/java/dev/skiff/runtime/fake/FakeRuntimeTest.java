package dev.skiff.runtime.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeContract;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ExecSyncResponse;
import dev.skiff.runtime.ImageFilter;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeRuntimeTest extends ContainerRuntimeContract {
  FakeRuntime fake;

  @BeforeEach
  void setUp() {
    fake = new FakeRuntime();
    fake.pullImage(new ImageSpec("busybox:1.35"), null, null);
  }

  @Override
  protected ContainerRuntime runtime() {
    return fake;
  }

  @Override
  protected PodSandboxConfig pod(String name) {
    return new PodSandboxConfig(
        new PodSandboxMetadata(name, UUID.randomUUID().toString(), "default", 0),
        name,
        null,
        null,
        null,
        Map.of("pod", name),
        null,
        null);
  }

  @Test
  void podsGetDistinctAddressesAndContainersExitOnDemand() {
    String a = fake.runPodSandbox(pod("a"), null);
    String b = fake.runPodSandbox(pod("b"), null);
    assertNotEquals(fake.podSandboxStatus(a).ip(), fake.podSandboxStatus(b).ip());
    String c = fake.createContainer(a, sleeper("c"), pod("a"));
    fake.startContainer(c);
    fake.exitContainer(c, 2, "Error");
    assertEquals(ContainerState.CONTAINER_EXITED, fake.containerStatus(c).state());
    assertEquals(2, fake.containerStatus(c).exitCode());
  }

  @Test
  void execAnswersAreScriptable() {
    String sb = fake.runPodSandbox(pod("p"), null);
    String c = fake.createContainer(sb, sleeper("c"), pod("p"));
    fake.startContainer(c);
    fake.onExec(
        (id, cmd) -> new ExecSyncResponse(String.join(" ", cmd).getBytes(), new byte[0], 3));
    var r = fake.execSync(c, List.of("echo", "x"), Duration.ofSeconds(1));
    assertEquals(3, r.exitCode());
    assertEquals("echo x", r.stdoutText());
  }

  @Test
  void imagesAreFoundByShortNameFullNameAndId() {
    String id = fake.pullImage(new ImageSpec("docker.io/library/busybox:1.35"), null, null);
    assertEquals(1, fake.listImages(ImageFilter.ALL).size());
    assertEquals(id, fake.imageStatus(new ImageSpec("busybox:1.35")).orElseThrow().id());
    assertEquals(id, fake.imageStatus(new ImageSpec(id)).orElseThrow().id());
    fake.removeImage(new ImageSpec(id));
    assertTrue(fake.imageStatus(new ImageSpec("busybox:1.35")).isEmpty());
  }
}
