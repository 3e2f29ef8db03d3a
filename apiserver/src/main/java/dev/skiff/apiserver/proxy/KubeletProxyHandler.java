package dev.skiff.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subresources the API server answers by calling the pod's kubelet: {@code pods/log} streamed
 * through as it arrives, {@code pods/exec|attach|portforward} tunnelled after the kubelet switches
 * protocols, {@code nodes/proxy}, and {@code services/proxy} to a ready endpoint. Other paths fall
 * through to the next handler.
 */
public final class KubeletProxyHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletProxyHandler.class);

  /** Reads a stored object: (plural, namespace or "", name). */
  @FunctionalInterface
  public interface ObjectReader {
    Optional<JsonNode> read(String plural, String namespace, String name);
  }

  private static final List<String> LOG_OPTIONS =
      List.of(
          "follow",
          "previous",
          "tailLines",
          "sinceSeconds",
          "sinceTime",
          "timestamps",
          "limitBytes");

  private final ObjectReader objects;
  private final KubeletClient client;
  private final UpgradeProxy upgrades;

  /** Services are reached without the kubelet client certificate. */
  private final KubeletClient serviceClient = new KubeletClient(null, null);

  private static final int MAX_PROXIED_BODY_BYTES = 3 * 1024 * 1024;

  public KubeletProxyHandler(ObjectReader objects, KubeletClient client) {
    super(InvocationType.BLOCKING);
    this.objects = objects;
    this.client = client;
    this.upgrades = new UpgradeProxy(client);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    // Every API request passes here; only these paths can be proxied, so the rest skip the split.
    if (!path.contains("/pods/") && !path.contains("/proxy")) {
      return false;
    }
    String[] p = path.substring(1).split("/", -1);
    boolean podSub =
        p.length == 7
            && p[0].equals("api")
            && p[1].equals("v1")
            && p[2].equals("namespaces")
            && p[4].equals("pods");
    boolean nodeProxy =
        p.length >= 5
            && p[0].equals("api")
            && p[1].equals("v1")
            && p[2].equals("nodes")
            && p[4].equals("proxy");
    boolean serviceProxy =
        p.length >= 7
            && p[0].equals("api")
            && p[1].equals("v1")
            && p[2].equals("namespaces")
            && p[4].equals("services")
            && p[6].equals("proxy");
    if (!(podSub && List.of("log", "exec", "attach", "portforward").contains(p[6]))
        && !nodeProxy
        && !serviceProxy) {
      return false;
    }
    try {
      if (serviceProxy) {
        String prefix = "/api/v1/namespaces/" + p[3] + "/services/" + p[5] + "/proxy";
        String rest = path.substring(prefix.length());
        proxyService(request, response, callback, p[3], p[5], rest.isEmpty() ? "/" : rest);
      } else if (nodeProxy) {
        String rest = path.substring(("/api/v1/nodes/" + p[3] + "/proxy").length());
        proxyNode(request, response, callback, p[3], rest.isEmpty() ? "/" : rest);
      } else {
        proxyPod(request, response, callback, p[3], p[5], p[6]);
      }
    } catch (ApiException e) {
      sendStatus(response, callback, e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.getMethod(), path, e);
      sendStatus(response, callback, ApiException.internal(e.getClass().getSimpleName()));
    }
    return true;
  }

  private void proxyPod(
      Request request, Response response, Callback callback, String ns, String name, String sub) {
    Fields query = Request.extractQueryParameters(request);
    boolean log = sub.equals("log");
    if (log && !request.getMethod().equals("GET")) {
      throw ApiException.methodNotAllowed();
    }
    JsonNode pod = objects.read("pods", ns, name).orElseThrow(() -> notFound("pods", name));
    String nodeName = pod.path("spec").path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      if (log) {
        // Upstream answers an unscheduled pod's log with nothing at all.
        response.setStatus(200);
        callback.succeeded();
        return;
      }
      throw ApiException.badRequest("pod " + name + " does not have a host assigned");
    }
    String kubeletPath;
    if (sub.equals("portforward")) {
      kubeletPath =
          "/portForward/" + enc(ns) + "/" + enc(name) + passThrough(query, List.of("ports"));
    } else {
      String container = PodContainers.choose(pod, value(query, "container"));
      String base = "/" + enc(ns) + "/" + enc(name) + "/" + enc(container);
      if (log) {
        PodContainers.requireStarted(pod, container, "true".equals(value(query, "previous")));
        kubeletPath = "/containerLogs" + base + passThrough(query, LOG_OPTIONS);
      } else {
        requireRunnable(pod, name);
        kubeletPath = "/" + sub + base + streamParams(query);
      }
    }
    KubeletAddress address = KubeletAddress.of(node(nodeName));
    if (log) {
      stream(response, callback, address, kubeletPath, "GET", true);
    } else if (UpgradeProxy.isUpgrade(request)) {
      upgrades.proxy(request, response, callback, address, kubeletPath);
    } else {
      throw ApiException.badRequest("Upgrade request required");
    }
  }

  private void proxyNode(
      Request request, Response response, Callback callback, String nodeName, String rest) {
    KubeletAddress address = KubeletAddress.of(node(nodeName));
    String query = request.getHttpURI().getQuery();
    String target = rest + (query == null || query.isEmpty() ? "" : "?" + query);
    if (UpgradeProxy.isUpgrade(request)) {
      upgrades.proxy(request, response, callback, address, target);
    } else if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
      stream(response, callback, address, target, request.getMethod(), false);
    } else {
      throw ApiException.methodNotAllowed();
    }
  }

  private JsonNode node(String nodeName) {
    return objects.read("nodes", "", nodeName).orElseThrow(() -> notFound("nodes", nodeName));
  }

  /** Exec and attach need a container that can still run something. */
  private static void requireRunnable(JsonNode pod, String name) {
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw ApiException.badRequest(
          "cannot exec into or attach to a container in a completed pod; current phase is "
              + phase);
    }
  }

  /** The kubelet's names for kubectl's stream options, as upstream's API server rewrites them. */
  private static String streamParams(Fields query) {
    StringBuilder sb = new StringBuilder();
    for (String c : values(query, "command")) {
      append(sb, "command", c);
    }
    if ("true".equals(value(query, "stdin"))) {
      append(sb, "input", "1");
    }
    if ("true".equals(value(query, "stdout"))) {
      append(sb, "output", "1");
    }
    if ("true".equals(value(query, "stderr"))) {
      append(sb, "error", "1");
    }
    if ("true".equals(value(query, "tty"))) {
      append(sb, "tty", "1");
    }
    return sb.toString();
  }

  private static String passThrough(Fields query, List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      for (String v : values(query, n)) {
        append(sb, n, v);
      }
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String name, String value) {
    sb.append(sb.isEmpty() ? '?' : '&').append(enc(name)).append('=').append(enc(value));
  }

  private static List<String> values(Fields query, String name) {
    List<String> v = query.getValues(name);
    return v == null ? List.of() : v;
  }

  private static String value(Fields query, String name) {
    String v = query.getValue(name);
    return v == null ? "" : v;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void stream(
      Response response,
      Callback callback,
      KubeletAddress address,
      String target,
      String method,
      boolean checked) {
    String url = address.url() + target;
    ResponseRelay.relay(
        client.http(),
        ResponseRelay.request(url).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        response,
        callback,
        checked,
        e -> UpgradeProxy.backendError(goVerb(method) + " \"" + url + "\": ", address, e));
  }

  private void proxyService(
      Request request, Response response, Callback callback, String ns, String id, String rest) {
    ServiceTarget.Id parsed = ServiceTarget.Id.parse(id);
    JsonNode service =
        objects
            .read("services", ns, parsed.name())
            .orElseThrow(() -> notFound("services", parsed.name()));
    ServiceTarget target =
        ServiceTarget.choose(
            parsed, service, objects.read("endpoints", ns, parsed.name()).orElse(null), objects);
    String query = request.getHttpURI().getQuery();
    String url = target.url() + rest + (query == null || query.isEmpty() ? "" : "?" + query);
    HttpRequest.Builder req = ResponseRelay.request(url);
    String contentType = request.getHeaders().get("Content-Type");
    if (contentType != null) {
      req.header("Content-Type", contentType);
    }
    byte[] body;
    try {
      body = Content.Source.asInputStream(request).readNBytes(MAX_PROXIED_BODY_BYTES + 1);
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
    }
    if (body.length > MAX_PROXIED_BODY_BYTES) {
      throw ApiException.tooLarge(MAX_PROXIED_BODY_BYTES);
    }
    req.method(
        request.getMethod(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ResponseRelay.relay(
        serviceClient.http(),
        req.build(),
        response,
        callback,
        false,
        e ->
            ServiceTarget.unavailable(
                "error trying to reach service: "
                    + (e instanceof java.net.ConnectException
                        ? "dial tcp "
                            + target.host()
                            + ":"
                            + target.port()
                            + ": connect: connection refused"
                        : String.valueOf(e.getMessage()))));
  }

  private static String goVerb(String method) {
    return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
  }

  private static ApiException notFound(String plural, String name) {
    return new ApiException(
        404, "NotFound", plural + " \"" + name + "\" not found", name, "", plural, List.of(), 0);
  }

  private static void sendStatus(Response response, Callback callback, ApiException e) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    ObjectNode status = e.toStatus();
    response.setStatus(e.code());
    response.getHeaders().put("Content-Type", "application/json");
    response.write(true, ByteBuffer.wrap(Json.bytes(status)), callback);
  }
}
