package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.api.patch.JsonMergePatch;
import dev.skiff.api.patch.JsonPatch;
import dev.skiff.api.patch.PatchException;
import dev.skiff.api.patch.StrategicMergePatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stands in for the resource endpoints in the kubectl tests: objects kept in a map by URL, created
 * by POST and changed by PATCH through the real patch code, so a test sees exactly what kubectl
 * sends and what the patch makes of it. No metadata, validation or versions: those belong to the
 * real API server.
 */
final class FakeResources extends Handler.Abstract {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Sent(String method, String contentType, String query, String body) {}

  final List<Sent> requests = new CopyOnWriteArrayList<>();
  final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
  private final ResourceRegistry registry;

  FakeResources(ResourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    String query = request.getHttpURI().getQuery();
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    requests.add(
        new Sent(
            method,
            request.getHeaders().get(HttpHeader.CONTENT_TYPE),
            query == null ? "" : query,
            body));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    switch (method) {
      case "POST" -> {
        ObjectNode obj = (ObjectNode) MAPPER.readTree(body);
        objects.put(path + "/" + obj.at("/metadata/name").asText(), obj);
        write(response, callback, 201, obj);
      }
      case "GET" -> {
        ObjectNode obj = objects.get(path);
        if (obj == null) {
          write(response, callback, 404, status(404, "NotFound", path + " not found"));
        } else {
          write(response, callback, 200, obj);
        }
      }
      case "PATCH" -> {
        ObjectNode obj = objects.get(path);
        if (obj == null) {
          write(response, callback, 404, status(404, "NotFound", path + " not found"));
          return true;
        }
        try {
          JsonNode patch = MAPPER.readTree(body);
          String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
          JsonNode patched =
              switch (type) {
                case "application/json-patch+json" -> JsonPatch.apply(obj, patch);
                case "application/merge-patch+json" -> JsonMergePatch.apply(obj, patch);
                default ->
                    StrategicMergePatch.apply(
                        obj, patch, resource(path).map(ResourceType::javaType).orElse(null));
              };
          objects.put(path, (ObjectNode) patched);
          write(response, callback, 200, patched);
        } catch (PatchException e) {
          write(response, callback, e.code(), status(e.code(), "Invalid", e.getMessage()));
        }
      }
      default -> write(response, callback, 405, status(405, "MethodNotAllowed", method));
    }
    return true;
  }

  private Optional<ResourceType> resource(String path) {
    String[] p = path.split("/");
    boolean core = p[1].equals("api");
    int i = core ? 3 : 4;
    if (p.length > i + 1 && p[i].equals("namespaces")) {
      i += 2;
    }
    return registry.find(core ? "" : p[2], core ? p[2] : p[3], p[i]);
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode s = MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    return s.put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code);
  }

  private static void write(Response response, Callback callback, int code, JsonNode body)
      throws Exception {
    response.setStatus(code);
    response.write(true, ByteBuffer.wrap(MAPPER.writeValueAsBytes(body)), callback);
  }
}
