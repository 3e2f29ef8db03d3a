package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Just enough of the (unaggregated) discovery API for kubectl to map a resource name to its
 * group-version-kind, so the OpenAPI handler can be tested with the real kubectl on its own.
 */
final class LegacyDiscovery extends Handler.Abstract {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ResourceRegistry registry;

  LegacyDiscovery(ResourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    ObjectNode body = MAPPER.createObjectNode();
    if (path.equals("/api")) {
      body.put("kind", "APIVersions").putArray("versions").add("v1");
      body.putArray("serverAddressByClientCIDRs");
    } else if (path.equals("/apis")) {
      body.put("kind", "APIGroupList").put("apiVersion", "v1");
      ArrayNode groups = body.putArray("groups");
      for (ResourceRegistry.ApiGroupVersions g : registry.groups()) {
        if (g.group().isEmpty()) {
          continue;
        }
        ObjectNode group = groups.addObject().put("name", g.group());
        ArrayNode versions = group.putArray("versions");
        for (String v : g.versions()) {
          versions.addObject().put("groupVersion", g.group() + "/" + v).put("version", v);
        }
        group.set("preferredVersion", versions.get(0));
      }
    } else if (path.equals("/version")) {
      body.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0");
    } else {
      String gv =
          path.startsWith("/api/")
              ? path.substring(5)
              : path.startsWith("/apis/") ? path.substring(6) : null;
      ArrayNode resources = MAPPER.createArrayNode();
      for (ResourceType t : registry.all()) {
        if (t.groupVersion().equals(gv)) {
          ObjectNode r = resources.addObject();
          r.put("name", t.plural())
              .put("singularName", t.singular())
              .put("namespaced", t.namespaced());
          r.put("kind", t.kind());
          t.verbs().forEach(r.putArray("verbs")::add);
          t.shortNames().forEach(r.putArray("shortNames")::add);
        }
      }
      if (resources.isEmpty()) {
        return false;
      }
      body.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", gv);
      body.set("resources", resources);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(MAPPER.writeValueAsBytes(body)), callback);
    return true;
  }
}
