package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.http.Json;
import java.util.List;

/**
 * The legacy discovery documents: APIVersions ({@code /api}), APIGroupList ({@code /apis}),
 * APIGroup ({@code /apis/<g>}) and APIResourceList ({@code /api/v1}, {@code /apis/<g>/<v>}).
 */
public final class DiscoveryDocuments {
  private final ResourceRegistry registry;

  public DiscoveryDocuments(ResourceRegistry registry) {
    this.registry = registry;
  }

  public ObjectNode apiVersions(String serverAddress) {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    ArrayNode versions = v.putArray("versions");
    for (ResourceRegistry.ApiGroupVersions g : registry.groups()) {
      if (g.group().isEmpty()) {
        g.versions().forEach(versions::add);
      }
    }
    ObjectNode cidr = v.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return v;
  }

  public ObjectNode groupList() {
    ObjectNode l = Json.object();
    l.put("kind", "APIGroupList");
    l.put("apiVersion", "v1");
    ArrayNode groups = l.putArray("groups");
    for (ResourceRegistry.ApiGroupVersions g : registry.groups()) {
      if (!g.group().isEmpty()) {
        groups.add(groupBody(g));
      }
    }
    return l;
  }

  /** The APIGroup document of {@code group}, or null when it is not served. */
  public ObjectNode group(String group) {
    for (ResourceRegistry.ApiGroupVersions g : registry.groups()) {
      if (!g.group().isEmpty() && g.group().equals(group)) {
        ObjectNode o = groupBody(g);
        o.put("kind", "APIGroup");
        o.put("apiVersion", "v1");
        return o;
      }
    }
    return null;
  }

  private static ObjectNode groupBody(ResourceRegistry.ApiGroupVersions g) {
    ObjectNode o = Json.object();
    o.put("name", g.group());
    ArrayNode versions = o.putArray("versions");
    for (String v : g.versions()) {
      ObjectNode vn = versions.addObject();
      vn.put("groupVersion", g.group() + "/" + v);
      vn.put("version", v);
    }
    ObjectNode pref = o.putObject("preferredVersion");
    pref.put("groupVersion", g.group() + "/" + g.preferredVersion());
    pref.put("version", g.preferredVersion());
    return o;
  }

  /** The APIResourceList of one group-version, or null when it is not served. */
  public ObjectNode resourceList(String group, String version) {
    List<ResourceType> types =
        registry.all().stream()
            .filter(t -> t.group().equals(group) && t.version().equals(version))
            .toList();
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode l = Json.object();
    l.put("kind", "APIResourceList");
    l.put("apiVersion", "v1");
    l.put("groupVersion", types.getFirst().groupVersion());
    ArrayNode resources = l.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      t.verbs().stream().sorted().forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode cat = r.putArray("categories");
        t.categories().forEach(cat::add);
      }
      for (String sub : t.subresources()) {
        ObjectNode s = resources.addObject();
        ResourceType.SubresourceKind k = t.subresourceKind(sub);
        s.put("name", t.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        // As upstream, a body of another group version names both (kubectl drain looks for
        // pods/eviction's group and version to decide it may evict).
        if (!k.group().equals(t.group()) || !k.version().equals(t.version())) {
          s.put("group", k.group());
          s.put("version", k.version());
        }
        s.put("kind", k.kind());
        ArrayNode sv = s.putArray("verbs");
        t.subresourceVerbs(sub).forEach(sv::add);
      }
    }
    return l;
  }
}
