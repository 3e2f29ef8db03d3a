package dev.skiff.cli.host;

import dev.skiff.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host programs a node needs, installed with apt on Debian/Ubuntu when running as root, and
 * named otherwise so the user can install them.
 */
public final class OsPackages {
  private static final Logger log = LoggerFactory.getLogger(OsPackages.class);

  /** A program the node runs, found at any of {@code paths}, shipped by Debian's {@code pkg}. */
  public record Requirement(String pkg, List<String> paths) {
    boolean present() {
      return paths.stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    }
  }

  public static final List<Requirement> NODE =
      List.of(
          new Requirement("runc", List.of("/usr/sbin/runc", "/usr/bin/runc")),
          new Requirement(
              "containernetworking-plugins", List.of("/usr/lib/cni/bridge", "/opt/cni/bin/bridge")),
          new Requirement("iptables", List.of("/usr/sbin/iptables", "/sbin/iptables")),
          new Requirement("busybox-static", List.of("/bin/busybox", "/usr/bin/busybox")));

  private OsPackages() {}

  /** Installs what is missing, or fails with one sentence naming it. */
  public static void ensure(List<Requirement> requirements) {
    List<String> missing = new ArrayList<>();
    for (Requirement r : requirements) {
      if (!r.present()) {
        missing.add(r.pkg());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    boolean canInstall =
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/bin/apt-get"));
    if (!canInstall) {
      throw new UserError(
          "missing host packages: "
              + String.join(" ", missing)
              + " (install them, e.g. apt-get install "
              + String.join(" ", missing)
              + ", then run again)");
    }
    log.info("installing {} with apt-get (first start only)", String.join(" ", missing));
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
    install.addAll(missing);
    if (run(install) != 0 && (run(List.of("apt-get", "update", "-q")) != 0 || run(install) != 0)) {
      throw new UserError("apt-get could not install " + String.join(" ", missing));
    }
  }

  private static int run(List<String> command) {
    try {
      var pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
