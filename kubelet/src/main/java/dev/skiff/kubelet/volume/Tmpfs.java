package dev.skiff.kubelet.volume;

import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tmpfs mounts for memory-backed emptyDirs (needs root, as upstream's kubelet). */
final class Tmpfs {
  private Tmpfs() {}

  static void ensure(Path dir, Quantity sizeLimit) throws IOException {
    if (mountpoints().contains(dir.toAbsolutePath().toString())) {
      return;
    }
    String options = "mode=0777";
    if (sizeLimit != null) {
      options += ",size=" + sizeLimit.getNumericalAmount().toBigInteger();
    }
    run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toAbsolutePath().toString()));
  }

  static void unmountAllUnder(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    List<String> under = new ArrayList<>();
    for (String m : mountpoints()) {
      if (m.equals(prefix) || m.startsWith(prefix + "/")) {
        under.add(m);
      }
    }
    under.sort(Comparator.reverseOrder());
    for (String m : under) {
      run(List.of("umount", m));
    }
  }

  private static List<String> mountpoints() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        out.add(f[4].replace("\\040", " "));
      }
    }
    return out;
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
