package dev.skiff.api.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;

/**
 * The Swagger 2.0 document upstream serves at {@code /openapi/v2}: every served resource's paths
 * and operations, and a definition for every model type they use, named as upstream's.
 */
public final class OpenApiV2 {
  private OpenApiV2() {}

  public static ObjectNode document(ResourceRegistry registry) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", OpenApiV3.KUBERNETES_VERSION);
    ObjectNode paths = doc.putObject("paths");
    Schemas schemas = new Schemas(new DefinitionNames(registry), Flavor.V2);
    Operations operations = new Operations(schemas, Flavor.V2, paths);
    for (ResourceType t : registry.all()) {
      operations.add(t);
    }
    doc.set("definitions", schemas.definitions());
    doc.putObject("securityDefinitions")
        .putObject("BearerToken")
        .put("description", "Bearer Token authentication")
        .put("in", "header")
        .put("name", "authorization")
        .put("type", "apiKey");
    doc.putArray("security").addObject().putArray("BearerToken");
    return doc;
  }
}
