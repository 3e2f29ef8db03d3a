package dev.skiff.runtime.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Mount-table operations, through the mount(2) and umount2(2) system calls. */
public final class Mounts {
  /** mount(8)'s option words that are flags to the call rather than data for the filesystem. */
  private static final Map<String, Long> FLAGS =
      Map.of(
          "nosuid", LinuxCalls.MS_NOSUID,
          "nodev", LinuxCalls.MS_NODEV,
          "noexec", LinuxCalls.MS_NOEXEC,
          "ro", LinuxCalls.MS_RDONLY);

  /** Mounts an overlay of {@code lowers} (topmost first) with a writable upper layer. */
  public void overlay(List<Path> lowers, Path upper, Path work, Path target) {
    String options =
        "lowerdir="
            + lowers.stream().map(Path::toString).collect(Collectors.joining(":"))
            + ",upperdir="
            + upper
            + ",workdir="
            + work;
    LinuxCalls.mount("overlay", target.toString(), "overlay", 0, options);
  }

  /** Mounts a tmpfs with mount(8)-style options ({@code nosuid}, {@code size=64m}, ...). */
  public void tmpfs(Path target, String options) {
    long flags = 0;
    List<String> data = new ArrayList<>();
    for (String o : options.split(",")) {
      if (o.isEmpty()) continue;
      Long flag = FLAGS.get(o);
      if (flag != null) flags |= flag;
      else data.add(o);
    }
    LinuxCalls.mount("tmpfs", target.toString(), "tmpfs", flags, String.join(",", data));
  }

  /** Unmounts {@code target} if mounted (lazily when busy); absent or unmounted is fine. */
  public void unmount(Path target) {
    if (!isMounted(target)) return;
    try {
      LinuxCalls.umount(target.toString(), 0);
    } catch (LinuxCalls.CallException e) {
      if (isMounted(target)) LinuxCalls.umount(target.toString(), LinuxCalls.MNT_DETACH);
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
