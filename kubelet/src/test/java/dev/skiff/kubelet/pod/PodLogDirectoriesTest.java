package dev.skiff.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodLogDirectoriesTest {
  @TempDir Path logs;

  @Test
  void removesOnlyTheDeletedPodsDirectory() throws Exception {
    Path gone = Files.createDirectories(logs.resolve("default_web_uid-1/app"));
    Files.writeString(gone.resolve("0.log"), "bye\n");
    Path kept = Files.createDirectories(logs.resolve("default_web_uid-12/app"));
    Files.writeString(kept.resolve("0.log"), "still here\n");

    PodLogDirectories.remove(logs, "uid-1");

    assertFalse(Files.exists(logs.resolve("default_web_uid-1")));
    assertTrue(Files.exists(kept.resolve("0.log")));
  }

  @Test
  void anEmptyOrPathLikeUidRemovesNothing() throws Exception {
    Path kept = Files.createDirectories(logs.resolve("default_web_/app"));
    PodLogDirectories.remove(logs, "");
    PodLogDirectories.remove(logs, "../x");
    PodLogDirectories.remove(logs.resolve("missing"), "uid-1");
    assertTrue(Files.exists(kept));
  }
}
