package dev.skiff.kubelet.server;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.StreamSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code /exec/{namespace}/{pod}/{container}?command=..} and {@code /attach/...}: finds the running
 * container and hands the WebSocket upgrade to a {@link StreamSocket} speaking the channel
 * protocol.
 */
final class ExecHandler {
  static final String EXEC_PREFIX = "/exec/";
  static final String ATTACH_PREFIX = "/attach/";

  private final ContainerRuntime runtime;

  /** Refused before the upgrade; the status and message go back as a plain HTTP answer. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  ExecHandler(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  static boolean handles(String path) {
    return path.startsWith(EXEC_PREFIX) || path.startsWith(ATTACH_PREFIX);
  }

  void serve(Request request, Response response, Callback callback) throws Refused {
    String path = Request.getPathInContext(request);
    boolean exec = path.startsWith(EXEC_PREFIX);
    String[] parts =
        path.substring(exec ? EXEC_PREFIX.length() : ATTACH_PREFIX.length()).split("/");
    if (parts.length != 3) {
      throw new Refused(
          400, "expected /" + (exec ? "exec" : "attach") + "/{namespace}/{pod}/{container}");
    }
    String ns = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    String pod = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    String container = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    Fields query = Request.extractQueryParameters(request);
    // Upstream's kubelet parameter names; the API server translates kubectl's stdin/stdout/stderr.
    boolean stdin = flag(query, "input");
    boolean stdout = flag(query, "output");
    boolean stderr = flag(query, "error");
    boolean tty = flag(query, "tty");
    List<String> command = Optional.ofNullable(query.getValues("command")).orElse(List.of());
    if (exec && command.isEmpty()) {
      throw new Refused(400, "you must specify at least one command for the container");
    }
    if (!stdin && !stdout && !stderr) {
      throw new Refused(400, "you must specify at least 1 of stdin, stdout, stderr");
    }
    if (!"websocket".equalsIgnoreCase(request.getHeaders().get("Upgrade"))) {
      throw new Refused(400, "only WebSocket upgrades are supported (SPDY is not)");
    }
    String id = runningContainer(ns, pod, container);
    Supplier<StreamSession> start =
        exec
            ? () -> runtime.exec(new ExecRequest(id, command, tty, stdin, stdout, stderr && !tty))
            : () -> runtime.attach(new AttachRequest(id, stdin, tty, stdout, stderr && !tty));
    // Negotiated before the upgrade: Jetty leaves a refused creator's request unanswered.
    List<String> offered = request.getHeaders().getCSV(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, true);
    String protocol =
        ChannelProtocol.negotiate(offered)
            .orElseThrow(
                () ->
                    new Refused(
                        400,
                        "the WebSocket handshake needs subprotocol "
                            + ChannelProtocol.V5
                            + " or "
                            + ChannelProtocol.V4));
    var sockets = ServerWebSocketContainer.get(request.getContext());
    boolean upgraded =
        sockets != null
            && sockets.upgrade(
                (rq, rs, cb) -> {
                  rs.setAcceptedSubProtocol(protocol);
                  return new StreamSocket(start, command, protocol);
                },
                request,
                response,
                callback);
    if (!upgraded) {
      throw new Refused(400, "the WebSocket handshake was not accepted");
    }
  }

  private String runningContainer(String ns, String pod, String container) throws Refused {
    var filter =
        new ContainerFilter(
            null,
            ContainerState.CONTAINER_RUNNING,
            null,
            Map.of(
                PodLabels.POD_NAMESPACE, ns,
                PodLabels.POD_NAME, pod,
                PodLabels.CONTAINER_NAME, container));
    return runtime.listContainers(filter).stream()
        .findFirst()
        .orElseThrow(
            () ->
                new Refused(
                    404, "container \"" + container + "\" in pod \"" + pod + "\" is not running"))
        .id();
  }

  private static boolean flag(Fields query, String name) {
    String v = query.getValue(name);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }
}
