package dev.skiff.kubelet.server;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.kubelet.server.spdy.UpgradedConnection;
import dev.skiff.kubelet.server.spdy.WebSocketTunnel;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code /portForward/{namespace}/{pod}[/{uid}]}: upgrades to a SPDY session speaking {@code
 * portforward.k8s.io} into the pod's network namespace, either tunnelled in a WebSocket
 * (subprotocol {@code SPDY/3.1+portforward.k8s.io}, what kubectl tries first) or as a plain {@code
 * Upgrade: SPDY/3.1} (its fallback).
 */
final class PortForwardHandler {
  static final String PREFIX = "/portForward/";
  static final String PROTOCOL = "portforward.k8s.io";
  static final String TUNNEL_PROTOCOL = "SPDY/3.1+" + PROTOCOL;
  private static final String SPDY = "SPDY/3.1";
  private static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";

  private final ContainerRuntime runtime;
  private final Duration idleTimeout;

  PortForwardHandler(ContainerRuntime runtime, Duration idleTimeout) {
    this.runtime = runtime;
    this.idleTimeout = idleTimeout;
  }

  static boolean handles(String path) {
    return path.startsWith(PREFIX);
  }

  void serve(Request request, Response response, Callback callback) throws ExecHandler.Refused {
    String[] parts = Request.getPathInContext(request).substring(PREFIX.length()).split("/");
    if (parts.length != 2 && parts.length != 3) {
      throw new ExecHandler.Refused(400, "expected /portForward/{namespace}/{pod}[/{uid}]");
    }
    String sandboxId = sandbox(parts);
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    if ("websocket".equalsIgnoreCase(upgrade)) {
      tunnel(request, response, callback, sandboxId);
    } else if (SPDY.equalsIgnoreCase(upgrade)) {
      upgrade(request, response, callback, sandboxId);
    } else {
      throw new ExecHandler.Refused(400, "unable to upgrade: missing upgrade headers in request");
    }
  }

  private void tunnel(Request request, Response response, Callback callback, String sandboxId)
      throws ExecHandler.Refused {
    List<String> offered = request.getHeaders().getCSV(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, true);
    if (!offered.contains(TUNNEL_PROTOCOL)) {
      throw new ExecHandler.Refused(
          400, "port-forward over WebSocket needs subprotocol " + TUNNEL_PROTOCOL);
    }
    var sockets = ServerWebSocketContainer.get(request.getContext());
    boolean upgraded =
        sockets != null
            && sockets.upgrade(
                (rq, rs, cb) -> {
                  rs.setAcceptedSubProtocol(TUNNEL_PROTOCOL);
                  return new WebSocketTunnel(forwarder(sandboxId));
                },
                request,
                response,
                callback);
    if (!upgraded) {
      throw new ExecHandler.Refused(400, "the WebSocket handshake was not accepted");
    }
  }

  private void upgrade(Request request, Response response, Callback callback, String sandboxId)
      throws ExecHandler.Refused {
    List<String> offered = request.getHeaders().getCSV(PROTOCOL_HEADER, true);
    if (!offered.isEmpty() && !offered.contains(PROTOCOL)) {
      throw new ExecHandler.Refused(
          403,
          "unable to upgrade: unable to negotiate protocol: client supports "
              + offered
              + ", server supports ["
              + PROTOCOL
              + "]");
    }
    response.setStatus(101);
    response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
    response.getHeaders().put(HttpHeader.UPGRADE, SPDY);
    if (!offered.isEmpty()) {
      response.getHeaders().put(PROTOCOL_HEADER, PROTOCOL);
    }
    request.setAttribute(
        HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
        new UpgradedConnection(
            request.getConnectionMetaData().getConnection().getEndPoint(),
            request.getComponents().getExecutor(),
            forwarder(sandboxId),
            idleTimeout));
    callback.succeeded();
  }

  private PortForwarder forwarder(String sandboxId) {
    return new PortForwarder(runtime, sandboxId, PortForwarder.STREAM_CREATION_TIMEOUT);
  }

  private String sandbox(String[] parts) throws ExecHandler.Refused {
    Map<String, String> labels = new HashMap<>();
    labels.put(PodLabels.POD_NAMESPACE, URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
    labels.put(PodLabels.POD_NAME, URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
    if (parts.length == 3) {
      labels.put(PodLabels.POD_UID, URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
    }
    return runtime
        .listPodSandbox(new PodSandboxFilter(null, PodSandboxState.SANDBOX_READY, labels))
        .stream()
        .findFirst()
        .map(PodSandbox::id)
        .orElseThrow(() -> new ExecHandler.Refused(404, "pod does not exist"));
  }
}
