package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.http.MediaType;
import java.util.List;

/**
 * apidiscovery.k8s.io APIGroupDiscoveryList (v2 and v2beta1): every group, version and resource in
 * one document per root ({@code /api} for core, {@code /apis} for the rest), as kubectl 1.32 asks.
 */
public final class AggregatedDiscovery {
  private final ResourceRegistry registry;

  public AggregatedDiscovery(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** The aggregated profile version the client accepts first ("v2", "v2beta1"), or null. */
  public static String negotiate(List<MediaType> accept) {
    for (MediaType m : accept) {
      if (m.isJsonCompatible()
          && m.param("g").equals("apidiscovery.k8s.io")
          && m.param("as").equals("APIGroupDiscoveryList")
          && (m.param("v").equals("v2") || m.param("v").equals("v2beta1"))) {
        return m.param("v");
      }
      if (m.isJsonCompatible() && m.param("as").isEmpty()) {
        return null;
      }
    }
    return null;
  }

  public static String contentType(String version) {
    return "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList";
  }

  /**
   * @param core true for {@code /api} (the legacy group), false for {@code /apis}
   */
  public ObjectNode document(boolean core, String version) {
    ObjectNode l = Json.object();
    l.put("kind", "APIGroupDiscoveryList");
    l.put("apiVersion", "apidiscovery.k8s.io/" + version);
    l.putObject("metadata");
    ArrayNode items = l.putArray("items");
    for (ResourceRegistry.ApiGroupVersions g : registry.groups()) {
      if (g.group().isEmpty() != core) {
        continue;
      }
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      if (!core) {
        meta.put("name", g.group());
      }
      meta.putNull("creationTimestamp");
      ArrayNode versions = item.putArray("versions");
      for (String v : g.versions()) {
        ObjectNode vn = versions.addObject();
        vn.put("version", v);
        ArrayNode resources = vn.putArray("resources");
        for (ResourceType t : registry.all()) {
          if (t.group().equals(g.group()) && t.version().equals(v)) {
            resources.add(resource(t));
          }
        }
        vn.put("freshness", "Current");
      }
    }
    return l;
  }

  private static ObjectNode resource(ResourceType t) {
    ObjectNode r = Json.object();
    r.put("resource", t.plural());
    ObjectNode kind = r.putObject("responseKind");
    kind.put("group", t.group());
    kind.put("version", t.version());
    kind.put("kind", t.kind());
    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
    r.put("singularResource", t.singular());
    ArrayNode verbs = r.putArray("verbs");
    t.verbs().stream().sorted().forEach(verbs::add);
    if (!t.shortNames().isEmpty()) {
      ArrayNode sn = r.putArray("shortNames");
      t.shortNames().forEach(sn::add);
    }
    if (!t.categories().isEmpty()) {
      ArrayNode c = r.putArray("categories");
      t.categories().forEach(c::add);
    }
    if (!t.subresources().isEmpty()) {
      ArrayNode subs = r.putArray("subresources");
      for (String sub : t.subresources()) {
        ObjectNode s = subs.addObject();
        s.put("subresource", sub);
        ResourceType.SubresourceKind k = t.subresourceKind(sub);
        ObjectNode sk = s.putObject("responseKind");
        sk.put("group", k.group());
        sk.put("version", k.version());
        sk.put("kind", k.kind());
        ArrayNode sv = s.putArray("verbs");
        t.subresourceVerbs(sub).forEach(sv::add);
      }
    }
    return r;
  }
}
