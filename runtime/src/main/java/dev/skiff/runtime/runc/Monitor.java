package dev.skiff.runtime.runc;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the skiff-monitor program that creates a container with runc and then supervises it from
 * its own session, so the container outlives this JVM.
 */
public class Monitor {
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(60);
  private final Path binary;
  private final Runc runc;

  public Monitor(Path binary, Runc runc) {
    this.binary = binary;
    this.runc = runc;
  }

  public Path binary() {
    return binary;
  }

  /**
   * What the monitor needs: the bundle, where to write the pid, exit status and log (null for
   * none), the OOM counter file, the attach socket, and stdio options.
   */
  public record Spec(
      String id,
      Path bundle,
      Path pidFile,
      Path exitFile,
      Path logFile,
      Path oomFile,
      Path attachSocket,
      boolean stdin,
      boolean stdinOnce,
      boolean tty,
      boolean startNow) {}

  /** The created container's init pid and the monitor's own pid. */
  public record Started(int pid, int monitorPid) {}

  /**
   * Runs {@code runc create} under a new monitor: the container is created, not started, unless
   * {@code startNow} asks for {@code runc run -d}.
   */
  public Started create(Spec s) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "-r",
                runc.binary(),
                "-R",
                runc.root().toString(),
                "-c",
                s.id(),
                "-b",
                s.bundle().toString(),
                "-p",
                s.pidFile().toString(),
                "-e",
                s.exitFile().toString()));
    if (s.logFile() != null) cmd.addAll(List.of("-l", s.logFile().toString()));
    if (s.oomFile() != null) cmd.addAll(List.of("-o", s.oomFile().toString()));
    if (s.attachSocket() != null) cmd.addAll(List.of("-a", s.attachSocket().toString()));
    if (s.stdin()) cmd.add("-i");
    if (s.stdinOnce()) cmd.add("-s");
    if (s.tty()) cmd.add("-t");
    if (s.startNow()) cmd.add("-S");
    Command.Result r;
    try {
      r = Command.run(cmd, REPORT_TIMEOUT);
    } catch (Command.CommandException e) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INTERNAL, "monitor did not report: " + e.getMessage());
    }
    String report = (r.out() + r.err()).trim();
    if (report.startsWith("ok ")) {
      String[] f = report.split("\\s+");
      return new Started(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
    }
    String why =
        report.startsWith("error ")
            ? report.substring(6)
            : report.isEmpty() ? "monitor exited " + r.exitCode() + " without a report" : report;
    throw new ContainerRuntimeException(
        ContainerRuntimeException.Code.INTERNAL,
        "cannot create container: " + why + runcLog(s.bundle()));
  }

  /** The last error runc logged, which says why a create failed. */
  private static String runcLog(Path bundle) {
    try {
      List<String> lines = Files.readAllLines(bundle.resolve("runc.log"));
      for (String line : lines.reversed()) {
        int i = line.indexOf("\"msg\":\"");
        if (line.contains("\"level\":\"error\"") && i >= 0) {
          String msg = line.substring(i + 7);
          return ": " + msg.substring(0, Math.max(0, msg.lastIndexOf("\"")));
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }
}
