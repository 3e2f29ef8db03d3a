package dev.skiff.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.BufferedRequest;
import dev.skiff.apiserver.auth.RequestAuthenticator;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.http.MediaType;
import dev.skiff.apiserver.http.RequestInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Writes an {@code audit.k8s.io/v1} Event for every request once its response is complete (stage
 * ResponseComplete), in front of authentication so that refused requests are logged too: who (as
 * authenticated, after impersonation), what (verb, objectRef, requestURI), from where (sourceIPs,
 * userAgent), the outcome (responseStatus) and, for writes the {@link AuditPolicy} logs at
 * RequestResponse, the request and response bodies. Each response carries its {@code Audit-Id}.
 */
public final class AuditHandler extends Handler.Wrapper {
  /** Bodies beyond this size are not logged, as upstream truncates large events. */
  private static final int MAX_BODY = 1 << 20;

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Supplier<AuditLog> log;
  private final Clock clock;

  /**
   * @param log the log in effect, asked on every request; null passes requests on unlogged
   */
  public AuditHandler(Supplier<AuditLog> log, Clock clock, Handler next) {
    super(next);
    this.log = log;
    this.clock = clock;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    AuditLog out = log.get();
    if (out == null) {
      return super.handle(request, response, callback);
    }
    Instant received = clock.instant();
    String auditId = UUID.randomUUID().toString();
    response.getHeaders().put("Audit-Id", auditId);
    String path = Request.getPathInContext(request);
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Fields query = Request.extractQueryParameters(request);
    RequestInfo info =
        RequestInfo.parse(
            request.getMethod(),
            trimmed,
            query.getValue("watch") == null ? "" : query.getValue("watch"));
    boolean upgrade = request.getHeaders().contains(HttpHeader.UPGRADE);
    AuditPolicy.Level level = upgrade ? AuditPolicy.Level.METADATA : AuditPolicy.level(info);

    Request req = request;
    byte[] requestBody = null;
    if (level == AuditPolicy.Level.REQUEST_RESPONSE) {
      requestBody = readBody(request);
      req = new BufferedRequest(request, requestBody);
    }
    Capture capture = upgrade ? null : new Capture(req, response, level);
    Response resp = capture == null ? response : capture;
    byte[] body = requestBody;
    Runnable record =
        () ->
            out.write(
                event(request, info, level, auditId, received, resp.getStatus(), body, capture));
    Callback done =
        Callback.from(
            () -> {
              record.run();
              callback.succeeded();
            },
            failure -> {
              record.run();
              callback.failed(failure);
            });
    return super.handle(req, resp, done);
  }

  private static byte[] readBody(Request request) throws IOException {
    ByteBuffer buffer = Content.Source.asByteBuffer(request);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private ObjectNode event(
      Request request,
      RequestInfo info,
      AuditPolicy.Level level,
      String auditId,
      Instant received,
      int code,
      byte[] requestBody,
      Capture capture) {
    ObjectNode e = Json.object();
    e.put("kind", "Event");
    e.put("apiVersion", "audit.k8s.io/v1");
    e.put("level", level.wire());
    e.put("auditID", auditId);
    e.put("stage", "ResponseComplete");
    String uri = request.getHttpURI().getPathQuery();
    e.put("requestURI", uri);
    e.put("verb", info != null ? info.verb() : request.getMethod().toLowerCase(Locale.ROOT));
    ObjectNode user = e.putObject("user");
    if (request.getAttribute(RequestAuthenticator.USER_ATTRIBUTE) instanceof UserInfo u) {
      user.put("username", u.name());
      if (!u.uid().isEmpty()) {
        user.put("uid", u.uid());
      }
      ArrayNode groups = user.putArray("groups");
      u.groups().forEach(groups::add);
      if (!u.extra().isEmpty()) {
        ObjectNode extra = user.putObject("extra");
        for (Map.Entry<String, List<String>> x : u.extra().entrySet()) {
          ArrayNode values = extra.putArray(x.getKey());
          x.getValue().forEach(values::add);
        }
      }
    }
    e.putArray("sourceIPs").add(Request.getRemoteAddr(request));
    String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
    if (agent != null) {
      e.put("userAgent", agent);
    }
    if (info != null) {
      ObjectNode ref = e.putObject("objectRef");
      ref.put("resource", info.resource());
      if (!info.namespace().isEmpty()) {
        ref.put("namespace", info.namespace());
      }
      if (!info.name().isEmpty()) {
        ref.put("name", info.name());
      }
      if (!info.group().isEmpty()) {
        ref.put("apiGroup", info.group());
      }
      ref.put("apiVersion", info.version());
      if (!info.subresource().isEmpty()) {
        ref.put("subresource", info.subresource());
      }
    }
    e.set("responseStatus", responseStatus(code, capture));
    if (level == AuditPolicy.Level.REQUEST_RESPONSE) {
      JsonNode requestObject =
          decode(requestBody, request.getHeaders().get(HttpHeader.CONTENT_TYPE));
      if (requestObject != null) {
        e.set("requestObject", requestObject);
      }
      JsonNode responseObject =
          capture == null
              ? null
              : decode(capture.bytes(), capture.getHeaders().get(HttpHeader.CONTENT_TYPE));
      if (responseObject != null) {
        e.set("responseObject", responseObject);
      }
    }
    e.put("requestReceivedTimestamp", MICROS.format(received));
    e.put("stageTimestamp", MICROS.format(clock.instant()));
    return e;
  }

  /** Upstream's responseStatus: the code, and for failures the Status's reason and message. */
  private static ObjectNode responseStatus(int code, Capture capture) {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    if (code >= 400
        && capture != null
        && decode(capture.bytes(), "application/json") instanceof ObjectNode status
        && "Status".equals(status.path("kind").asText())) {
      s.put("status", status.path("status").asText("Failure"));
      if (status.hasNonNull("message")) {
        s.put("message", status.get("message").asText());
      }
      if (status.hasNonNull("reason")) {
        s.put("reason", status.get("reason").asText());
      }
    }
    s.put("code", code);
    return s;
  }

  /** A body (JSON, YAML or protobuf) as an object; anything else is left out of the event. */
  private static JsonNode decode(byte[] body, String contentType) {
    if (body == null || body.length == 0 || body.length > MAX_BODY) {
      return null;
    }
    try {
      return Exchange.decode(
          body, MediaType.parse(contentType == null ? "application/json" : contentType));
    } catch (ApiException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The response, with a copy of its body when the event needs it: always at RequestResponse,
   * otherwise only for failures, whose Status gives the event its reason and message.
   */
  private static final class Capture extends Response.Wrapper {
    private final AuditPolicy.Level level;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private boolean overflow;

    Capture(Request request, Response response, AuditPolicy.Level level) {
      super(request, response);
      this.level = level;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      boolean wanted = level == AuditPolicy.Level.REQUEST_RESPONSE || getStatus() >= 400;
      if (wanted && content != null && !overflow) {
        if (copy.size() + content.remaining() > MAX_BODY) {
          overflow = true;
        } else {
          ByteBuffer view = content.asReadOnlyBuffer();
          byte[] bytes = new byte[view.remaining()];
          view.get(bytes);
          copy.writeBytes(bytes);
        }
      }
      super.write(last, content, callback);
    }

    synchronized byte[] bytes() {
      return overflow ? null : copy.toByteArray();
    }
  }
}
