package dev.skiff.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.TestImages;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from Debian's docker-registry (distribution v2.8) on a loopback port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryPullTest {
  Path work;
  Process registry;
  String host;

  @BeforeAll
  void startRegistry() throws Exception {
    TestImages.assumeRoot();
    work = Files.createTempDirectory("skiff-registry-test");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    host = "127.0.0.1:" + port;
    Path config = work.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: error
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: %s
        """
            .formatted(work.resolve("data"), host));
    registry =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("registry.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!up()) {
      if (System.nanoTime() > deadline || !registry.isAlive()) {
        throw new IllegalStateException(
            "registry did not start: " + Files.readString(work.resolve("registry.log")));
      }
      Thread.sleep(100);
    }
    Command.run(
            List.of(
                "skopeo",
                "--insecure-policy",
                "copy",
                "--dest-tls-verify=false",
                "docker-archive:" + TestImages.busyboxArchive(),
                "docker://" + host + "/library/busybox:1.35"),
            Duration.ofSeconds(60))
        .check();
  }

  boolean up() {
    try {
      var c = (HttpURLConnection) URI.create("http://" + host + "/v2/").toURL().openConnection();
      c.setConnectTimeout(500);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterAll
  void stopRegistry() throws Exception {
    if (registry != null) {
      registry.destroy();
      if (!registry.waitFor(10, TimeUnit.SECONDS)) registry.destroyForcibly();
    }
    if (work != null) Command.run(List.of("rm", "-rf", work.toString()), Duration.ofSeconds(30));
  }

  @Test
  void pullsByTagThenByDigestWithoutRefetching(@TempDir Path dir) {
    ImageStore store = new ImageStore(dir.resolve("images"), new LayerUnpacker());
    List<PullProgress> events = new ArrayList<>();
    var images = new LocalImageService(store, new RegistryClient(), events::add);
    String ref = host + "/library/busybox:1.35";
    String id = images.pullImage(new ImageSpec(ref), null, null);
    var img = images.imageStatus(new ImageSpec(ref)).orElseThrow();
    assertEquals(id, img.id());
    assertEquals(List.of(ref), img.repoTags());
    assertEquals(1, img.repoDigests().size());
    assertTrue(img.repoDigests().getFirst().startsWith(host + "/library/busybox@sha256:"));
    assertEquals(0L, img.uid());
    assertTrue(
        Files.isRegularFile(
            store.layerDirs(store.find(id).orElseThrow()).getFirst().resolve("bin/busybox")));
    assertTrue(events.getLast().done(), "progress reported the finished layer");

    events.clear();
    assertEquals(id, images.pullImage(new ImageSpec(img.repoDigests().getFirst()), null, null));
    assertTrue(events.isEmpty(), "a present digest is not fetched again");
    assertEquals(1, images.listImages(null).size());
    assertTrue(images.imageFsInfo().getFirst().usedBytes() > 0);

    images.removeImage(new ImageSpec(ref));
    assertTrue(images.listImages(null).isEmpty());
  }

  @Test
  void missingTagIsNotFound(@TempDir Path dir) {
    var images =
        new LocalImageService(new ImageStore(dir, new LayerUnpacker()), new RegistryClient(), null);
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () -> images.pullImage(new ImageSpec(host + "/library/busybox:nope"), null, null));
    assertEquals(ContainerRuntimeException.Code.NOT_FOUND, e.code());
    assertFalse(e.getMessage().isEmpty());
  }
}
