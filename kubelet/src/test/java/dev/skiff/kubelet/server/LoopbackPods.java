package dev.skiff.kubelet.server;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PortForwardStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime with one ready sandbox, {@code default/pod-a} ({@code sandbox-a}), whose ports are
 * servers on this machine's loopback: {@link #echo} answers what it read, upper-cased, once the
 * client stopped sending; {@link #greeter} greets at once and notes when the client hung up. A port
 * with no server is refused the way the runtime's monitor refuses it.
 */
final class LoopbackPods implements AutoCloseable {
  static final String SANDBOX_ID = "sandbox-a";

  private final List<ServerSocket> servers = new ArrayList<>();
  final List<String> hangUps = new CopyOnWriteArrayList<>();

  ContainerRuntime runtime() {
    PodSandbox sandbox =
        new PodSandbox(
            SANDBOX_ID,
            new PodSandboxMetadata("pod-a", "uid-a", "default", 0),
            PodSandboxState.SANDBOX_READY,
            0,
            Map.of(PodLabels.POD_NAMESPACE, "default", PodLabels.POD_NAME, "pod-a"),
            Map.of(),
            null);
    return (ContainerRuntime)
        Proxy.newProxyInstance(
            ContainerRuntime.class.getClassLoader(),
            new Class<?>[] {ContainerRuntime.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "listPodSandbox" ->
                      ((PodSandboxFilter) args[0])
                              .matches(sandbox.id(), sandbox.state(), sandbox.labels())
                          ? List.of(sandbox)
                          : List.of();
                  case "portForward" -> connect((Integer) args[1]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static PortForwardStream connect(int port) {
    Socket s;
    try {
      s = new Socket(InetAddress.getLoopbackAddress(), port);
    } catch (IOException e) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INTERNAL,
          "connect to port " + port + " in the pod: Connection refused");
    }
    return new PortForwardStream() {
      @Override
      public InputStream input() {
        try {
          return s.getInputStream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public OutputStream output() {
        try {
          OutputStream out = s.getOutputStream();
          return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              s.shutdownOutput();
            }
          };
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void close() {
        try {
          s.close();
        } catch (IOException e) {
          // Already closed.
        }
      }
    };
  }

  /** A port that answers "name:" and what it read, upper-cased, after the client's end. */
  int echo(String name) throws IOException {
    return serve(
        s -> {
          byte[] all = s.getInputStream().readAllBytes();
          String reply = name + ":" + new String(all, StandardCharsets.UTF_8).toUpperCase();
          s.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
        });
  }

  /** A port that says hello at once and records "hung up" when the client closes. */
  int greeter() throws IOException {
    return serve(
        s -> {
          s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
          s.getInputStream().readAllBytes();
          hangUps.add("hung up");
        });
  }

  /** A port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private interface Conversation {
    void run(Socket s) throws IOException;
  }

  private int serve(Conversation conversation) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(server);
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try (s) {
                              conversation.run(s);
                            } catch (IOException e) {
                              hangUps.add("hung up");
                            }
                          });
                } catch (IOException e) {
                  return;
                }
              }
            });
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (ServerSocket s : servers) {
      s.close();
    }
  }
}
