package dev.skiff.runtime;

import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes what a runtime test made on the host, whatever the test did. */
public final class TestHost {
  private TestHost() {}

  /** Deletes a network link, such as a test bridge; one already gone is fine. */
  public static void deleteLink(String name) {
    Command.run(List.of("ip", "link", "delete", name), Duration.ofSeconds(10));
  }

  /**
   * Unmounts everything mounted below {@code dirs}, deepest first, then removes them without
   * crossing into a file system that is still mounted there.
   */
  public static void removeTrees(Path... dirs) throws IOException {
    Mounts mounts = new Mounts();
    try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      for (String m :
          lines
              .map(l -> l.split(" ")[4])
              .filter(p -> Stream.of(dirs).anyMatch(d -> p.startsWith(d.toString())))
              .sorted(Comparator.reverseOrder())
              .toList()) {
        mounts.unmount(Path.of(m));
      }
    }
    List<String> rm = new ArrayList<>(List.of("rm", "-rf", "--one-file-system"));
    Stream.of(dirs).forEach(d -> rm.add(d.toString()));
    Command.run(rm, Duration.ofSeconds(60));
  }

  /** Fails with every error a teardown collected, if it collected any. */
  public static void failIfAny(List<Throwable> errors) {
    if (!errors.isEmpty()) {
      AssertionError e = new AssertionError("cleanup failed");
      errors.forEach(e::addSuppressed);
      throw e;
    }
  }
}
