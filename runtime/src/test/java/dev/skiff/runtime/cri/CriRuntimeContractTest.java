package dev.skiff.runtime.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeContract;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.PodSandboxConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The runtime contract, and streams and images, against a real containerd through CRI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriRuntimeContractTest extends ContainerRuntimeContract {
  ContainerdFixture f;

  @BeforeAll
  void setUp() throws Exception {
    f = new ContainerdFixture();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (f != null) f.close();
  }

  @Override
  protected ContainerRuntime runtime() {
    return f.runtime;
  }

  @Override
  protected PodSandboxConfig pod(String name) {
    return f.pod(name);
  }

  @Test
  void sandboxHasAnIpOnTheBridgeAndItsHostname() {
    PodSandboxConfig pod = pod("cri-" + UUID.randomUUID().toString().substring(0, 6));
    String sb = f.runtime.runPodSandbox(pod, null);
    try {
      assertTrue(f.runtime.podSandboxStatus(sb).ip().startsWith("10.244.251."));
      String c = f.runtime.createContainer(sb, sleeper("main"), pod);
      f.runtime.startContainer(c);
      var hostname = f.runtime.execSync(c, List.of("hostname"), Duration.ofSeconds(10));
      assertEquals(pod.hostname(), hostname.stdoutText().trim());
      assertEquals(sb, f.runtime.containerStatus(c).podSandboxId());
    } finally {
      f.runtime.removePodSandbox(sb);
    }
  }

  @Test
  void execStreamsOutputAndExitCode() throws Exception {
    PodSandboxConfig pod = pod("cri-" + UUID.randomUUID().toString().substring(0, 6));
    String sb = f.runtime.runPodSandbox(pod, null);
    try {
      String c = f.runtime.createContainer(sb, sleeper("main"), pod);
      f.runtime.startContainer(c);
      try (var session =
          f.runtime.exec(
              new ExecRequest(
                  c,
                  List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                  false,
                  false,
                  true,
                  true))) {
        assertEquals("out\n", new String(session.stdout().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("err\n", new String(session.stderr().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(3, session.exitCode().get(30, TimeUnit.SECONDS));
      }
    } finally {
      f.runtime.removePodSandbox(sb);
    }
  }

  @Test
  void importedImagesAreListedAndPresent() {
    assertTrue(f.images.imageStatus(new ImageSpec("busybox:1.35")).isPresent());
    assertTrue(f.images.imageStatus(new ImageSpec("absent.example/none:1")).isEmpty());
    assertTrue(
        f.images.listImages(null).stream()
            .anyMatch(i -> i.repoTags().contains("docker.io/library/busybox:1.35")));
    assertTrue(!f.images.imageFsInfo().isEmpty());
  }

  @Test
  void portForwardReachesAServerInThePod() throws Exception {
    PodSandboxConfig pod = pod("cri-" + UUID.randomUUID().toString().substring(0, 6));
    String sb = f.runtime.runPodSandbox(pod, null);
    try {
      String c =
          f.runtime.createContainer(
              sb,
              ContainerConfig.of(
                  "web", "busybox:1.35", List.of("httpd", "-f", "-p", "8080", "-h", "/www")),
              pod);
      f.runtime.startContainer(c);
      String page = "";
      for (int attempt = 0; attempt < 50 && !page.contains("skiff acceptance image"); attempt++) {
        try (var forward = f.runtime.portForward(sb, 8080)) {
          forward.output().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          page = new String(forward.input().readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!page.contains("skiff acceptance image")) Thread.sleep(200);
      }
      assertTrue(page.startsWith("HTTP/1.") && page.contains("skiff acceptance image"), page);
    } finally {
      f.runtime.removePodSandbox(sb);
    }
  }
}
