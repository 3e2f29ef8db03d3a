package dev.skiff.runtime.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Mount-table operations, through mount(8) and umount(8). */
public final class Mounts {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Mounts an overlay of {@code lowers} (topmost first) with a writable upper layer. */
  public void overlay(List<Path> lowers, Path upper, Path work, Path target) {
    String options =
        "lowerdir="
            + lowers.stream().map(Path::toString).collect(Collectors.joining(":"))
            + ",upperdir="
            + upper
            + ",workdir="
            + work;
    Command.run(
            List.of("mount", "-t", "overlay", "overlay", "-o", options, target.toString()), TIMEOUT)
        .check();
  }

  public void tmpfs(Path target, String options) {
    Command.run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", target.toString()), TIMEOUT)
        .check();
  }

  /** Unmounts {@code target} if mounted (lazily when busy); absent or unmounted is fine. */
  public void unmount(Path target) {
    if (!isMounted(target)) return;
    Command.Result r = Command.run(List.of("umount", target.toString()), TIMEOUT);
    if (r.exitCode() != 0 && isMounted(target)) {
      Command.run(List.of("umount", "-l", target.toString()), TIMEOUT).check();
    }
  }

  public boolean isMounted(Path target) {
    String want = target.toAbsolutePath().normalize().toString();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && unescape(f[4]).equals(want)) return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }
}
