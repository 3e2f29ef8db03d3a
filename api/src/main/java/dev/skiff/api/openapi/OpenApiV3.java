package dev.skiff.api.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAPI 3.0 documents upstream serves at {@code /openapi/v3/<path>}, one per group-version,
 * keyed by that path: {@code api/v1}, {@code apis/apps/v1}. Each holds its resources' paths and
 * operations and, under {@code components.schemas}, every model type they use.
 */
public final class OpenApiV3 {
  private OpenApiV3() {}

  /** The Kubernetes release whose API the documents describe. */
  static final String KUBERNETES_VERSION = "v1.32.0";

  public static Map<String, ObjectNode> documents(ResourceRegistry registry) {
    DefinitionNames names = new DefinitionNames(registry);
    Map<String, Schemas> schemas = new LinkedHashMap<>();
    Map<String, ObjectNode> docs = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      String key = path(t);
      ObjectNode doc =
          docs.computeIfAbsent(
              key,
              k -> {
                ObjectNode d = JsonNodeFactory.instance.objectNode();
                d.put("openapi", "3.0.0");
                d.putObject("info").put("title", "Kubernetes").put("version", KUBERNETES_VERSION);
                d.putObject("paths");
                return d;
              });
      Schemas s = schemas.computeIfAbsent(key, k -> new Schemas(names, Flavor.V3));
      new Operations(s, Flavor.V3, (ObjectNode) doc.get("paths")).add(t);
    }
    docs.forEach(
        (key, doc) -> {
          ObjectNode components = doc.putObject("components");
          components.set("schemas", schemas.get(key).definitions());
          components
              .putObject("securitySchemes")
              .putObject("BearerToken")
              .put("description", "Bearer Token authentication")
              .put("in", "header")
              .put("name", "authorization")
              .put("type", "apiKey");
        });
    return docs;
  }

  /** The document path of a resource's group-version: {@code api/v1} or {@code apis/<g>/<v>}. */
  public static String path(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }
}
