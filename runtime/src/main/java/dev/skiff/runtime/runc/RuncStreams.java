package dev.skiff.runtime.runc;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.PortForwardStream;
import dev.skiff.runtime.StreamSession;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Exec, attach and port-forward streams of the runc runtime. */
final class RuncStreams {
  private final RuncRuntime rt;
  private final RuncContainers ctrs;

  RuncStreams(RuncRuntime rt) {
    this.rt = rt;
    this.ctrs = new RuncContainers(rt);
  }

  StreamSession exec(ExecRequest req) {
    ContainerRecord r = running(req.containerId());
    try {
      if (!req.tty()) {
        List<String> cmd = new ArrayList<>(List.of("exec"));
        cmd.add(r.id());
        cmd.addAll(req.cmd());
        Process p = new ProcessBuilder(rt.runc.command(cmd.toArray(String[]::new))).start();
        if (!req.stdin()) p.getOutputStream().close();
        return new ProcessSession(p, null);
      }
      Path fifo =
          rt.config
              .runRoot()
              .resolve("attach")
              .resolve("resize-" + RuncRuntime.newId().substring(0, 16));
      Command.run(List.of("mkfifo", fifo.toString()), Duration.ofSeconds(5)).check();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  rt.monitor.binary().toString(),
                  "-x",
                  "-r",
                  rt.runc.binary(),
                  "-R",
                  rt.runc.root().toString(),
                  "-c",
                  r.id(),
                  "-z",
                  fifo.toString(),
                  "--"));
      cmd.addAll(req.cmd());
      Process p = new ProcessBuilder(cmd).start();
      if (!req.stdin()) p.getOutputStream().close();
      return new ProcessSession(p, fifo);
    } catch (IOException e) {
      throw new ContainerRuntimeException(Code.INTERNAL, "cannot exec: " + e.getMessage(), e);
    }
  }

  StreamSession attach(AttachRequest req) {
    ContainerRecord r = running(req.containerId());
    if (req.stdin() && !r.config().stdin()) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT, "container " + r.id() + " was not created with stdin: true");
    }
    Path exit = rt.containerStore.dir(r.id()).resolve("exit");
    return new AttachSession(
        ctrs.attachSocket(r.id()),
        req.stdin(),
        () -> {
          ctrs.waitForExit(exit, Duration.ofSeconds(5));
          return ExitInfo.read(exit).map(ExitInfo::exitCode).orElse(-1);
        });
  }

  PortForwardStream portForward(String sandboxId, int port) {
    SandboxRecord sb = rt.sandbox(sandboxId);
    if (port <= 0 || port > 65535) {
      throw new ContainerRuntimeException(Code.INVALID_ARGUMENT, "invalid port " + port);
    }
    List<String> cmd =
        sb.netnsPath().isEmpty()
            ? List.of(
                rt.monitor.binary().toString(),
                "-f",
                "/proc/1/ns/net",
                "-P",
                Integer.toString(port))
            : List.of(
                rt.monitor.binary().toString(), "-f", sb.netnsPath(), "-P", Integer.toString(port));
    try {
      Process p = new ProcessBuilder(cmd).start();
      InputStream fromPod = new ConnectFailureInput(p);
      return new PortForwardStream() {
        @Override
        public InputStream input() {
          return fromPod;
        }

        @Override
        public OutputStream output() {
          return p.getOutputStream();
        }

        @Override
        public void close() {
          p.destroy();
        }
      };
    } catch (IOException e) {
      throw new ContainerRuntimeException(
          Code.INTERNAL, "cannot port-forward: " + e.getMessage(), e);
    }
  }

  private ContainerRecord running(String id) {
    ContainerRecord r = ctrs.container(id);
    if (ctrs.state(r) != ContainerState.CONTAINER_RUNNING) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "container " + id + " is not running");
    }
    return r;
  }
}
