package dev.skiff.apiserver.http;

import dev.skiff.apiserver.admission.RequestUser;
import dev.skiff.apiserver.auth.RequestAuthenticator;
import dev.skiff.apiserver.discovery.AggregatedDiscovery;
import dev.skiff.apiserver.discovery.DiscoveryDocuments;
import dev.skiff.apiserver.discovery.VersionInfo;
import dev.skiff.apiserver.endpoints.ResourceHandler;
import dev.skiff.apiserver.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's Jetty handler: health, version, discovery and every resource path. Errors become
 * a Status; an unexpected exception becomes a 500 Status and is logged, never shown.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final ResourceHandler resources;
  private final DiscoveryDocuments discovery;
  private final AggregatedDiscovery aggregated;
  private final RequestAuthenticator authenticator = new RequestAuthenticator();
  private final IntSupplier port;

  public ApiHandler(
      ResourceHandler resources,
      DiscoveryDocuments discovery,
      AggregatedDiscovery aggregated,
      IntSupplier port) {
    super(InvocationType.BLOCKING);
    this.resources = resources;
    this.discovery = discovery;
    this.aggregated = aggregated;
    this.port = port;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback, authenticator.authenticate(request));
    try {
      RequestUser.serve(ex.user(), () -> route(ex));
    } catch (ApiException e) {
      respondError(ex, e);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      LOG.error("{} {} failed", ex.method(), ex.path(), e);
      respondError(ex, ApiException.internal(e.getClass().getSimpleName()));
    }
    return true;
  }

  private static void respondError(Exchange ex, ApiException e) {
    if (!ex.isCommitted()) {
      ex.sendError(e);
    }
  }

  private void route(Exchange ex) {
    String path = ex.path();
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (isHealth(trimmed)) {
      ex.sendBytes(200, "ok".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
      return;
    }
    boolean read = ex.method().equals("GET") || ex.method().equals("HEAD");
    switch (trimmed) {
      case "/version" -> {
        requireRead(read);
        ex.send(200, VersionInfo.document());
        return;
      }
      case "/api", "/apis" -> {
        requireRead(read);
        boolean core = trimmed.equals("/api");
        String profile = AggregatedDiscovery.negotiate(ex.accept());
        if (profile != null) {
          ex.send(
              200, aggregated.document(core, profile), AggregatedDiscovery.contentType(profile));
        } else if (core) {
          ex.send(200, discovery.apiVersions(serverAddress(ex)));
        } else {
          ex.send(200, discovery.groupList());
        }
        return;
      }
      default -> {}
    }
    String[] parts = trimmed.substring(1).split("/");
    if (parts[0].equals("api") && parts.length == 2) {
      requireRead(read);
      sendOrNotFound(ex, discovery.resourceList("", parts[1]));
      return;
    }
    if (parts[0].equals("apis") && parts.length == 2) {
      requireRead(read);
      sendOrNotFound(ex, discovery.group(parts[1]));
      return;
    }
    if (parts[0].equals("apis") && parts.length == 3) {
      requireRead(read);
      sendOrNotFound(ex, discovery.resourceList(parts[1], parts[2]));
      return;
    }
    RequestInfo ri = RequestInfo.parse(ex.method(), trimmed, ex.query("watch"));
    if (ri == null) {
      throw ApiException.pathNotFound();
    }
    resources.handle(ex, ri);
  }

  private static boolean isHealth(String path) {
    for (String p : new String[] {"/healthz", "/livez", "/readyz"}) {
      if (path.equals(p) || path.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  private static void requireRead(boolean read) {
    if (!read) {
      throw ApiException.methodNotAllowed();
    }
  }

  private static void sendOrNotFound(Exchange ex, com.fasterxml.jackson.databind.JsonNode doc) {
    if (doc == null) {
      throw ApiException.pathNotFound();
    }
    ex.send(200, doc);
  }

  private String serverAddress(Exchange ex) {
    String host = ex.header("Host");
    return host.isEmpty() ? "127.0.0.1:" + port.getAsInt() : host;
  }
}
