package dev.skiff.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.protobuf.ProtobufDecoder;
import dev.skiff.apiserver.protobuf.ProtobufSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;

/**
 * One HTTP request and its response, handled in blocking style on a virtual thread: handlers read
 * the body, then send exactly one response (or stream one, for watches).
 */
public final class Exchange {
  /** Upstream's limit on request bodies. */
  public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;

  /** How much of an unread body is read away before an error answer (a few times the cap). */
  private static final long DRAIN_LIMIT_BYTES = 4 * MAX_BODY_BYTES;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Fields query;
  private final UserInfo user;
  private boolean done;
  private byte[] body;

  public Exchange(Request request, Response response, Callback callback, UserInfo user) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.query = Request.extractQueryParameters(request);
    this.user = user;
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    return Request.getPathInContext(request);
  }

  public UserInfo user() {
    return user;
  }

  /** A query parameter, or "" when absent. */
  public String query(String name) {
    var f = query.get(name);
    return f == null ? "" : f.getValue();
  }

  public boolean hasQuery(String name) {
    return query.get(name) != null;
  }

  public List<String> queryNames() {
    return List.copyOf(query.getNames());
  }

  public String header(String name) {
    String v = request.getHeaders().get(name);
    return v == null ? "" : v;
  }

  public List<MediaType> accept() {
    return MediaType.parseAccept(request.getHeaders().get(HttpHeader.ACCEPT));
  }

  /** The request body, at most {@link #MAX_BODY_BYTES}. */
  public byte[] body() {
    if (body == null) {
      body = readBody();
    }
    return body;
  }

  /**
   * Reads and drops what is left of a body the handling did not use, up to {@code limit} bytes, so
   * the client has sent everything before the answer comes; past the limit the connection may be
   * cut.
   */
  public void discardBody(long limit) {
    if (body != null) {
      return;
    }
    body = new byte[0];
    try (InputStream in = Content.Source.asInputStream(request)) {
      long left = limit;
      byte[] chunk = new byte[64 * 1024];
      int n;
      while (left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // The client went away; nothing to answer to.
    }
  }

  private byte[] readBody() {
    long declared = request.getLength();
    if (declared > MAX_BODY_BYTES) {
      throw ApiException.tooLarge(MAX_BODY_BYTES);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared >= 0) {
        // Sized by Content-Length (which the connection enforces), not by the limit: a request
        // costs one buffer of its own size.
        byte[] data = new byte[(int) declared];
        if (in.readNBytes(data, 0, data.length) < data.length) {
          throw ApiException.badRequest("unable to read the request body: it ended early");
        }
        return data;
      }
      byte[] data = in.readNBytes((int) MAX_BODY_BYTES + 1);
      if (data.length > MAX_BODY_BYTES) {
        throw ApiException.tooLarge(MAX_BODY_BYTES);
      }
      return data;
    } catch (IOException e) {
      throw ApiException.badRequest("unable to read the request body: " + e.getMessage());
    }
  }

  public MediaType contentType() {
    String ct = header("Content-Type");
    return MediaType.parse(ct.isEmpty() ? "application/json" : ct);
  }

  /** The body as a JSON object; JSON, YAML and Kubernetes protobuf accepted, else 415. */
  public ObjectNode bodyObject() {
    return decode(body(), contentType());
  }

  public static ObjectNode decode(byte[] body, MediaType ct) {
    return switch (ct.type()) {
      case "application/json", "*/*" -> decode(body, false);
      case "application/yaml", "application/x-yaml", "text/yaml" -> decode(body, true);
      case "application/vnd.kubernetes.protobuf" -> {
        try {
          yield new ProtobufDecoder(ProtobufSchema.get()).decode(body);
        } catch (IOException | RuntimeException e) {
          throw ApiException.badRequest(
              "the body of the request could not be decoded as protobuf: " + e.getMessage());
        }
      }
      default -> throw ApiException.unsupportedMediaType(ct.type());
    };
  }

  /** Decodes a JSON or YAML document that must be an object. */
  public static ObjectNode decode(byte[] body, boolean yaml) {
    if (body.length == 0) {
      throw ApiException.badRequest("the request body is empty; an object was expected");
    }
    JsonNode n;
    try {
      n = (yaml ? Json.YAML : Json.MAPPER).readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the body of the request could not be decoded: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest(
          "the body of the request could not be decoded: " + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw ApiException.badRequest(
          "the body of the request must be a "
              + (yaml ? "YAML mapping" : "JSON object")
              + ", got "
              + (n == null
                  ? "nothing"
                  : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return o;
  }

  /** Adds a {@code Warning: 299} header, as upstream's warning mechanism. */
  public void addWarning(String text) {
    response
        .getHeaders()
        .add("Warning", "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
  }

  public void send(int code, JsonNode body) {
    send(code, body, "application/json");
  }

  public void send(int code, JsonNode body, String contentType) {
    boolean yaml = prefersYaml();
    byte[] bytes;
    try {
      bytes = yaml ? Json.YAML.writeValueAsBytes(body) : Json.bytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    sendBytes(code, bytes, yaml ? "application/yaml" : contentType);
  }

  /** Whether the client's Accept header asks for YAML ahead of any JSON-compatible type. */
  public boolean prefersYaml() {
    for (MediaType m : accept()) {
      if (m.isJsonCompatible()) {
        return false;
      }
      if (m.isYaml()) {
        return true;
      }
    }
    return false;
  }

  public void sendBytes(int code, byte[] bytes, String contentType) {
    if (done) {
      return;
    }
    done = true;
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
    if (method().equals("HEAD")) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, null, callback);
      return;
    }
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  public void sendError(ApiException e) {
    String method = method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      // A body still arriving when the error goes out makes HTTP/2 reset the stream, which
      // clients such as Java's report as a failed request instead of the error.
      discardBody(DRAIN_LIMIT_BYTES);
    }
    if (e.retryAfterSeconds() > 0) {
      // As upstream: clients (client-go) wait this long and retry by themselves.
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
    }
    send(e.code(), e.toStatus());
  }

  public boolean isCommitted() {
    return done || response.isCommitted();
  }

  /** Starts a streamed 200 response (watch); the caller writes frames and then calls finish(). */
  public OutputStream startStream(String contentType) {
    done = true;
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
    // Commit the headers now: clients wait for them before they count a watch as started, and
    // an empty flush would not send them (notably over HTTP/2).
    FutureCallback committed = new FutureCallback();
    response.write(false, BufferUtil.EMPTY_BUFFER, committed);
    try {
      committed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // The client is gone; the first event write will notice and end the watch.
    }
    return Content.Sink.asOutputStream(response);
  }

  /**
   * Writes part of a started stream without blocking; {@code done} runs once it is written. At most
   * one write may be pending.
   */
  public void write(ByteBuffer bytes, Callback done) {
    response.write(false, bytes, done);
  }

  /** A WebSocket handshake, as clients such as fabric8 use for watches. */
  public boolean isWebSocketUpgrade() {
    return header("Upgrade").equalsIgnoreCase("websocket");
  }

  /** Completes the handshake; {@code endpoint} (a Jetty WebSocket listener) takes over. */
  public void upgradeToWebSocket(Object endpoint) {
    done = true;
    var container =
        org.eclipse.jetty.websocket.server.ServerWebSocketContainer.get(request.getContext());
    if (container == null
        || !container.upgrade((rq, rs, cb) -> endpoint, request, response, callback)) {
      done = false;
      throw ApiException.badRequest("the WebSocket handshake was not accepted");
    }
  }

  /** Runs {@code action} if the request fails while being handled, e.g. the client goes away. */
  public void onFailure(Runnable action) {
    request.addFailureListener(t -> action.run());
  }

  public void finishStream() {
    callback.succeeded();
  }

  public void fail(Throwable t) {
    callback.failed(t);
  }
}
