package dev.skiff.kubelet.server;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A runtime with one running container, {@code default/pod-a/app}, whose exec runs a few scripted
 * commands against real pipes: {@code hostname}, {@code fail} (stderr and exit 3), {@code cat}
 * (stdin to stdout until EOF) and {@code size} (reports the first resize, then exits).
 */
final class ScriptedRuntime {
  static final String CONTAINER_ID = "c-app";

  private ScriptedRuntime() {}

  static ContainerRuntime create() {
    Container app =
        new Container(
            CONTAINER_ID,
            "sandbox-a",
            new ContainerMetadata("app", 0),
            null,
            null,
            ContainerState.CONTAINER_RUNNING,
            0,
            Map.of(
                PodLabels.POD_NAMESPACE, "default",
                PodLabels.POD_NAME, "pod-a",
                PodLabels.CONTAINER_NAME, "app"),
            Map.of());
    return (ContainerRuntime)
        Proxy.newProxyInstance(
            ContainerRuntime.class.getClassLoader(),
            new Class<?>[] {ContainerRuntime.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "listContainers" ->
                      ((ContainerFilter) args[0]).matches(app) ? List.of(app) : List.of();
                  case "exec" -> exec((ExecRequest) args[0]);
                  case "attach" -> attach((AttachRequest) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static StreamSession exec(ExecRequest request) {
    Session s = new Session();
    switch (String.join(" ", request.cmd())) {
      case "hostname" -> s.finish("pod-a\n", "", 0);
      case "fail" -> s.finish("", "oops\n", 3);
      case "cat" -> s.echoStdin();
      case "size" -> s.reportResize();
      default -> s.finish("", "unknown command\n", 127);
    }
    return s;
  }

  private static StreamSession attach(AttachRequest request) {
    Session s = new Session();
    s.finish("attached to " + request.containerId() + "\n", "", 0);
    return s;
  }

  private static final class Session implements StreamSession {
    private final Pipe in = open();
    private final Pipe out = open();
    private final Pipe err = open();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean reportResize;

    void finish(String stdout, String stderr, int code) {
      try (var o = Channels.newOutputStream(out.sink());
          var e = Channels.newOutputStream(err.sink())) {
        o.write(stdout.getBytes(StandardCharsets.UTF_8));
        e.write(stderr.getBytes(StandardCharsets.UTF_8));
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
      exit.complete(code);
    }

    void echoStdin() {
      Thread.ofVirtual()
          .start(
              () -> {
                try (var from = Channels.newInputStream(in.source())) {
                  var to = Channels.newOutputStream(out.sink());
                  from.transferTo(to);
                  to.close();
                  err.sink().close();
                  exit.complete(0);
                } catch (IOException x) {
                  exit.completeExceptionally(x);
                }
              });
    }

    void reportResize() {
      reportResize = true;
    }

    @Override
    public OutputStream stdin() {
      return Channels.newOutputStream(in.sink());
    }

    @Override
    public InputStream stdout() {
      return Channels.newInputStream(out.source());
    }

    @Override
    public InputStream stderr() {
      return Channels.newInputStream(err.source());
    }

    @Override
    public void resize(int width, int height) {
      if (reportResize) {
        reportResize = false;
        finish(width + "x" + height + "\n", "", 0);
      }
    }

    @Override
    public CompletableFuture<Integer> exitCode() {
      return exit;
    }

    @Override
    public void close() {
      exit.complete(-1);
      try {
        in.sink().close();
        out.source().close();
        err.source().close();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }

    private static Pipe open() {
      try {
        return Pipe.open();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
  }
}
