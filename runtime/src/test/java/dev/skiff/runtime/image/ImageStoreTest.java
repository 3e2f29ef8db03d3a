package dev.skiff.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.TestImages;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.Mounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir Path dir;
  ImageStore store;

  @BeforeEach
  void open() {
    TestImages.assumeRoot();
    store = new ImageStore(dir.resolve("images"), new LayerUnpacker());
  }

  @Test
  void anImportByAnotherProcessIsSeenByTheServingStore() throws Exception {
    // `skiff images import` opens its own store on the node's directory while the node serves.
    ImageStore importer = new ImageStore(dir.resolve("images"), new LayerUnpacker());
    assertTrue(store.find("busybox:1.35").isEmpty());
    importer.importArchive(TestImages.busyboxArchive());
    assertTrue(store.find("busybox:1.35").isPresent());
    importer.remove("busybox:1.35");
    assertTrue(store.list().isEmpty());
  }

  @Test
  void importsDockerSaveArchiveOnceAndFindsByAnyName() throws Exception {
    List<StoredImage> imported = store.importArchive(TestImages.busyboxArchive());
    assertEquals(1, imported.size());
    StoredImage img = imported.getFirst();
    assertEquals(List.of("docker.io/library/busybox:1.35"), img.repoTags());
    assertEquals(List.of("sh"), img.config().cmd());
    assertTrue(img.id().startsWith("sha256:"));
    Path layer = store.layerDirs(img).getFirst();
    assertTrue(Files.isRegularFile(layer.resolve("bin/busybox")));
    assertTrue(Files.isSymbolicLink(layer.resolve("bin/sh")));
    Object inode = Files.readAttributes(layer, BasicFileAttributes.class).fileKey();

    store.importArchive(TestImages.busyboxArchive());
    assertEquals(1, store.list().size());
    assertEquals(
        inode,
        Files.readAttributes(layer, BasicFileAttributes.class).fileKey(),
        "layer unpacked once");

    assertEquals(img.id(), store.find("busybox:1.35").orElseThrow().id());
    assertEquals(img.id(), store.find("docker.io/library/busybox:1.35").orElseThrow().id());
    assertEquals(img.id(), store.find(img.id()).orElseThrow().id());
    assertTrue(store.find("busybox").isEmpty(), "latest is another tag");

    ImageStore reopened = new ImageStore(dir.resolve("images"), new LayerUnpacker());
    assertEquals(img, reopened.find("busybox:1.35").orElseThrow());
  }

  @Test
  void importsOciArchivesWithCompressedLayers() throws Exception {
    StoredImage fromDocker = store.importArchive(TestImages.busyboxArchive()).getFirst();
    Path oci = dir.resolve("busybox-oci.tar");
    Command.run(
            List.of(
                "skopeo",
                "--insecure-policy",
                "copy",
                "--dest-compress",
                "docker-archive:" + TestImages.busyboxArchive(),
                "oci-archive:" + oci + ":busybox:1.35"),
            Duration.ofSeconds(60))
        .check();
    ImageStore other = new ImageStore(dir.resolve("other"), new LayerUnpacker());
    StoredImage fromOci = other.importArchive(oci).getFirst();
    assertEquals(List.of("docker.io/library/busybox:1.35"), fromOci.repoTags());
    assertEquals(fromDocker.diffIds(), fromOci.diffIds(), "same content whatever the compression");
    assertTrue(Files.isRegularFile(other.layerDirs(fromOci).getFirst().resolve("bin/busybox")));
  }

  @Test
  void removeDeletesUnusedLayers() throws Exception {
    StoredImage img = store.importArchive(TestImages.busyboxArchive()).getFirst();
    Path layer = store.layerDirs(img).getFirst();
    assertTrue(store.remove("busybox:1.35"));
    assertFalse(Files.exists(layer));
    assertTrue(store.list().isEmpty());
    assertFalse(store.remove("busybox:1.35"));
  }

  @Test
  void rejectsLayerWhoseDigestDiffersFromConfig() throws Exception {
    Path layerTar = TestImages.oneFileTar(dir, "layer", "hello", "hi");
    String wrong = "sha256:" + "0".repeat(64);
    byte[] config =
        ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + wrong + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () ->
                store.addImage(
                    config, List.of(layerTar), List.of("docker.io/library/bad:1"), List.of()));
    assertTrue(e.getMessage().contains("layer digest mismatch"), e.getMessage());
    assertTrue(store.list().isEmpty());
    assertFalse(store.hasLayer(wrong));
  }

  @Test
  void rejectsNonImageArchive() throws Exception {
    Path tar = TestImages.oneFileTar(dir, "junk", "x", "y");
    var e = assertThrows(ContainerRuntimeException.class, () -> store.importArchive(tar));
    assertTrue(e.getMessage().contains("neither a docker save archive nor an OCI image layout"));
  }

  @Test
  void whiteoutsBecomeOverlayWhiteouts() throws Exception {
    Path layer = Files.createDirectories(dir.resolve("layer/etc"));
    Files.writeString(layer.resolve(".wh.passwd"), "");
    Files.writeString(layer.resolve(".wh..wh..opq"), "");
    new LayerUnpacker().convertWhiteouts(dir.resolve("layer"));
    assertFalse(Files.exists(layer.resolve(".wh.passwd")));
    String type =
        Command.run(
                List.of("stat", "-c", "%F %t:%T", layer.resolve("passwd").toString()),
                Duration.ofSeconds(5))
            .check()
            .out()
            .trim();
    assertEquals("character special file 0:0", type);
    String xattr =
        Command.run(
                List.of(
                    "getfattr", "--only-values", "-n", "trusted.overlay.opaque", layer.toString()),
                Duration.ofSeconds(5))
            .check()
            .out();
    assertEquals("y", xattr);
  }

  @Test
  void snapshotsGiveEachContainerItsOwnWritableRoot() throws Exception {
    StoredImage img = store.importArchive(TestImages.busyboxArchive()).getFirst();
    Snapshots snapshots = new Snapshots(dir.resolve("snapshots"), new Mounts());
    Path a = snapshots.prepare("a", store.layerDirs(img));
    Path b = snapshots.prepare("b", store.layerDirs(img));
    try {
      assertTrue(Files.isRegularFile(a.resolve("bin/busybox")));
      Files.writeString(a.resolve("tmp/mine"), "only in a");
      assertFalse(Files.exists(b.resolve("tmp/mine")));
      assertFalse(Files.exists(store.layerDirs(img).getFirst().resolve("tmp/mine")));
      assertTrue(snapshots.usage("a") > 0);
    } finally {
      snapshots.remove("a");
      snapshots.remove("b");
    }
    assertFalse(new Mounts().isMounted(a));
    assertFalse(Files.exists(a));
  }
}
