package dev.skiff.kubelet.pod;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a deleted pod's log directory ({@code <podLogDir>/<namespace>_<name>_<uid>}), as the
 * kubelet's garbage collection does: logs outlive their containers, not their pod.
 */
public final class PodLogDirectories {
  private static final Logger LOG = LoggerFactory.getLogger(PodLogDirectories.class);

  private PodLogDirectories() {}

  /** Deletes every log directory of the pod with this uid; a missing one is no error. */
  public static void remove(Path podLogDir, String uid) {
    if (uid == null || uid.isEmpty() || uid.contains("/") || !Files.isDirectory(podLogDir)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(podLogDir, "*_" + uid)) {
      for (Path dir : dirs) {
        deleteTree(dir);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the log directory of pod {}: {}", uid, e.toString());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
