package dev.skiff.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGarbageCollectorTest {
  @TempDir Path dir;

  StoredImage tiny(ImageStore store, String name, String content) throws Exception {
    Path tar = TestImages.oneFileTar(dir, name, "data", content.repeat(1 << 20));
    byte[] config =
        ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + LayerUnpacker.diffId(tar)
                + "\"]},"
                + "\"config\":{\"Cmd\":[\""
                + name
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    return store.addImage(
        config, List.of(tar), List.of("docker.io/library/" + name + ":1"), List.of());
  }

  @Test
  void removesUnusedImagesLeastRecentlyUsedFirstDownToTheLowMark() throws Exception {
    TestImages.assumeRoot();
    ImageStore store = new ImageStore(dir.resolve("store"), new LayerUnpacker());
    StoredImage busybox = store.importArchive(TestImages.busyboxArchive()).getFirst();
    StoredImage old = tiny(store, "old", "a");
    Thread.sleep(20);
    StoredImage recent = tiny(store, "recent", "b");
    store.markUsed(recent.id());
    long used = store.usedBytes();
    var gc = new ImageGarbageCollector(store);

    assertEquals(
        List.of(), gc.collect(Set.of(), used * 2, 85, 80).removed(), "below the high mark");

    // A full disk; the low mark sits half a layer (each is 1 MiB) below current usage.
    long capacity = used;
    int low = (int) (100 * (used - (1 << 19)) / used);
    var result = gc.collect(Set.of(busybox.id()), capacity, 90, low);
    assertEquals(
        List.of(old.id()), result.removed(), "one unused image frees enough; the older goes");
    assertTrue(result.freedBytes() > 0);
    assertTrue(store.find(busybox.id()).isPresent(), "in use, never removed");

    var all = gc.collect(Set.of(busybox.id()), capacity, 0, 0);
    assertEquals(List.of(recent.id()), all.removed());
    assertEquals(List.of(busybox.id()), store.list().stream().map(StoredImage::id).toList());
    assertThrows(IllegalArgumentException.class, () -> gc.collect(Set.of(), 1, 50, 60));
  }
}
