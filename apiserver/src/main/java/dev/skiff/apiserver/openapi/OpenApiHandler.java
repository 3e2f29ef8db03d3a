package dev.skiff.apiserver.openapi;

import dev.skiff.api.ResourceRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves {@code /openapi/v2}, the {@code /openapi/v3} index and the per group-version v3 documents,
 * generated from the registry and cached until the registry changes. As upstream: ETags and {@code
 * If-None-Match}; a v3 URL with the current {@code hash} is immutable, one with a stale hash
 * redirects to the current one. {@code /openapi/v2} is protobuf when asked for (kubectl does), JSON
 * otherwise; v3 is JSON. Returns false for any other path so the next handler can serve it.
 */
public final class OpenApiHandler extends Handler.Abstract {
  private static final String V2 = "/openapi/v2";
  private static final String V3 = "/openapi/v3";
  private static final String JSON = "application/json";
  private static final String PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2";

  private final ResourceRegistry registry;
  private final Object lock = new Object();
  private volatile Cached cached;

  private record Cached(String fingerprint, OpenApiDocuments documents) {}

  public OpenApiHandler(ResourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(V2) && !path.equals(V3) && !path.startsWith(V3 + "/")) {
      return false;
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "405: Method Not Allowed");
      return true;
    }
    OpenApiDocuments docs = documents();
    if (path.equals(V2)) {
      String accept = request.getHeaders().get(HttpHeader.ACCEPT);
      if (accept != null && accept.contains(PROTOBUF_V2)) {
        send(request, response, callback, docs.v2Protobuf(), false, PROTOBUF_V2 + ".v1.0+protobuf");
      } else {
        send(request, response, callback, docs.v2(), false, JSON);
      }
    } else if (path.equals(V3) || path.equals(V3 + "/")) {
      send(request, response, callback, docs.v3Index(), false, JSON);
    } else {
      OpenApiDocuments.Document doc = docs.v3().get(path.substring(V3.length() + 1));
      if (doc == null) {
        text(response, callback, HttpStatus.NOT_FOUND_404, "404 page not found");
        return true;
      }
      Fields query = Request.extractQueryParameters(request);
      String hash = query.getValue("hash");
      if (hash != null && !hash.equals(doc.hash())) {
        response.getHeaders().put(HttpHeader.LOCATION, path + "?hash=" + doc.hash());
        text(response, callback, HttpStatus.MOVED_PERMANENTLY_301, "");
        return true;
      }
      send(request, response, callback, doc, hash != null, JSON);
    }
    return true;
  }

  private OpenApiDocuments documents() {
    String fingerprint = OpenApiDocuments.fingerprint(registry);
    Cached c = cached;
    if (c != null && c.fingerprint().equals(fingerprint)) {
      return c.documents();
    }
    synchronized (lock) {
      c = cached;
      if (c == null || !c.fingerprint().equals(fingerprint)) {
        c = new Cached(fingerprint, OpenApiDocuments.build(registry));
        cached = c;
      }
      return c.documents();
    }
  }

  private static void send(
      Request request,
      Response response,
      Callback callback,
      OpenApiDocuments.Document doc,
      boolean immutable,
      String contentType) {
    var headers = response.getHeaders();
    headers.put(HttpHeader.ETAG, doc.etag());
    headers.put(HttpHeader.VARY, "Accept");
    headers.put(
        HttpHeader.CACHE_CONTROL,
        immutable ? "public, immutable, max-age=31536000" : "no-cache, private");
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null && ifNoneMatch.contains(doc.etag())) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    response.setStatus(HttpStatus.OK_200);
    headers.put(HttpHeader.CONTENT_TYPE, contentType);
    headers.put(HttpHeader.CONTENT_LENGTH, doc.body().length);
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(doc.body()), callback);
  }

  private static void text(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
