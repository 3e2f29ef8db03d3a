package dev.skiff.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.volume.AtomicWriter.FileContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  private static FileContent text(String s, int mode) {
    return new FileContent(s.getBytes(StandardCharsets.UTF_8), mode);
  }

  @Test
  void writesThroughDataLinkAndReplacesContentInPlace() throws Exception {
    AtomicWriter.write(dir, Map.of("a", text("1", 0644), "sub/b", text("2", 0600)));
    assertTrue(Files.isSymbolicLink(dir.resolve("a")));
    assertTrue(Files.isSymbolicLink(dir.resolve("..data")));
    assertEquals("1", Files.readString(dir.resolve("a")));
    assertEquals("2", Files.readString(dir.resolve("sub/b")));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("sub/b"))));

    AtomicWriter.write(dir, Map.of("a", text("changed", 0644)));
    assertEquals("changed", Files.readString(dir.resolve("a")));
    assertFalse(Files.exists(dir.resolve("sub")), "keys that left the object leave the volume");
    try (var entries = Files.list(dir)) {
      assertEquals(3, entries.count(), "a, ..data and one payload directory remain");
    }
  }

  @Test
  void refusesPathsThatClimbOut() {
    org.junit.jupiter.api.Assertions.assertThrows(
        VolumeError.class, () -> AtomicWriter.write(dir, Map.of("../x", text("1", 0644))));
  }
}
