package dev.skiff.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.List;

/**
 * The paths and operations of one resource, named and parameterised as upstream's (operationId
 * {@code patchAppsV1NamespacedDeployment}, {@code x-kubernetes-action}, {@code
 * x-kubernetes-group-version-kind}, and the query parameters each verb accepts). kubectl reads the
 * PATCH operation's {@code fieldValidation} parameter to decide whether the server validates
 * fields, and its request body types to decide whether it may send a strategic merge patch.
 */
final class Operations {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> PATCH_TYPES =
      List.of(
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json");
  private static final List<String> OBJECT_TYPES = List.of("application/json", "application/yaml");
  private static final List<String> LIST_TYPES =
      List.of("application/json", "application/yaml", "application/json;stream=watch");
  private static final List<String> LIST_QUERY =
      List.of(
          "allowWatchBookmarks:boolean",
          "continue:string",
          "fieldSelector:string",
          "labelSelector:string",
          "limit:integer",
          "resourceVersion:string",
          "resourceVersionMatch:string",
          "sendInitialEvents:boolean",
          "timeoutSeconds:integer",
          "watch:boolean");
  private static final List<String> WRITE_QUERY =
      List.of("dryRun:string", "fieldManager:string", "fieldValidation:string");
  private static final List<String> PATCH_QUERY =
      List.of("dryRun:string", "fieldManager:string", "fieldValidation:string", "force:boolean");
  private static final List<String> DELETE_QUERY =
      List.of(
          "dryRun:string",
          "gracePeriodSeconds:integer",
          "ignoreStoreReadErrorWithClusterBreakingPotential:boolean",
          "orphanDependents:boolean",
          "propagationPolicy:string");
  private static final List<String> DELETE_COLLECTION_QUERY =
      List.of(
          "continue:string",
          "dryRun:string",
          "fieldSelector:string",
          "gracePeriodSeconds:integer",
          "ignoreStoreReadErrorWithClusterBreakingPotential:boolean",
          "labelSelector:string",
          "limit:integer",
          "orphanDependents:boolean",
          "propagationPolicy:string",
          "resourceVersion:string",
          "resourceVersionMatch:string",
          "sendInitialEvents:boolean",
          "timeoutSeconds:integer");

  /** What each kind of operation takes and returns, as upstream's {@code x-kubernetes-action}. */
  private enum Action {
    LIST("list", "get", LIST_QUERY, 200),
    CREATE("post", "post", WRITE_QUERY, 200, 201, 202),
    DELETE_COLLECTION("deletecollection", "delete", DELETE_COLLECTION_QUERY, 200),
    READ("get", "get", List.of(), 200),
    REPLACE("put", "put", WRITE_QUERY, 200, 201),
    PATCH("patch", "patch", PATCH_QUERY, 200, 201),
    DELETE("delete", "delete", DELETE_QUERY, 200, 202);

    final String name;
    final String method;
    final List<String> query;
    final int[] codes;

    Action(String name, String method, List<String> query, int... codes) {
      this.name = name;
      this.method = method;
      this.query = query;
      this.codes = codes;
    }
  }

  /** One path's subject: its operation tag and kind, and the schemas it reads and writes. */
  private record Subject(String tag, ObjectNode gvk, ObjectNode object, ObjectNode list) {}

  private final Schemas schemas;
  private final Flavor flavor;
  private final ObjectNode paths;

  Operations(Schemas schemas, Flavor flavor, ObjectNode paths) {
    this.schemas = schemas;
    this.flavor = flavor;
    this.paths = paths;
  }

  void add(ResourceType t) {
    ObjectNode object;
    ObjectNode list = null;
    if (t.javaType() == GenericKubernetesResource.class) {
      object = schemas.custom(t);
      list = schemas.customList(t);
    } else {
      Class<?> type = t.javaType();
      object = schemas.ref(type);
      schemas.kind(type, t.group(), t.version(), t.kind());
      try {
        Class<?> listType = Class.forName(type.getName() + "List", false, type.getClassLoader());
        list = schemas.ref(listType);
        schemas.kind(listType, t.group(), t.version(), t.listKind());
      } catch (ClassNotFoundException noList) {
        // Kinds that cannot be listed (reviews) have no list type.
      }
    }
    String tag = tag(t.group(), t.version());
    Subject subject = new Subject(tag, gvk(t.group(), t.version(), t.kind()), object, list);
    String gv =
        camel(t.group()) + Character.toUpperCase(t.version().charAt(0)) + t.version().substring(1);
    String scope = t.namespaced() ? "Namespaced" : "";
    String name = gv + scope + t.kind();
    String base = (t.group().isEmpty() ? "/api/" : "/apis/" + t.group() + "/") + t.version();
    String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
    boolean listable = t.verbs().contains("list") && list != null;

    ObjectNode coll = pathItem(collection, t.namespaced(), false);
    if (listable) {
      add(coll, Action.LIST, "list" + name, subject);
    }
    if (t.verbs().contains("create")) {
      add(coll, Action.CREATE, "create" + name, subject);
    }
    if (t.verbs().contains("deletecollection")) {
      add(coll, Action.DELETE_COLLECTION, "delete" + gv + "Collection" + scope + t.kind(), subject);
    }
    if (t.namespaced() && listable) {
      ObjectNode all = pathItem(base + "/" + t.plural(), false, false);
      add(all, Action.LIST, "list" + gv + t.kind() + "ForAllNamespaces", subject);
    }
    String item = collection + "/{name}";
    if (t.verbs().contains("get")) {
      ObjectNode p = pathItem(item, t.namespaced(), true);
      add(p, Action.READ, "read" + name, subject);
      addWrites(p, t, name, subject);
      if (t.verbs().contains("delete")) {
        add(p, Action.DELETE, "delete" + name, subject);
      }
    }
    if (t.hasSubresource("status")) {
      ObjectNode p = pathItem(item + "/status", t.namespaced(), true);
      add(p, Action.READ, "read" + name + "Status", subject);
      addWrites(p, t, name + "Status", subject);
    }
    if (t.hasSubresource("scale")) {
      Subject scale =
          new Subject(tag, gvk("autoscaling", "v1", "Scale"), schemas.ref(Scale.class), null);
      ObjectNode p = pathItem(item + "/scale", t.namespaced(), true);
      add(p, Action.READ, "read" + name + "Scale", scale);
      addWrites(p, t, name + "Scale", scale);
    }
  }

  private void addWrites(ObjectNode path, ResourceType t, String name, Subject subject) {
    if (t.verbs().contains("update")) {
      add(path, Action.REPLACE, "replace" + name, subject);
    }
    if (t.verbs().contains("patch")) {
      add(path, Action.PATCH, "patch" + name, subject);
    }
  }

  private ObjectNode pathItem(String path, boolean namespaced, boolean named) {
    ObjectNode item = paths.putObject(path);
    ArrayNode params = item.putArray("parameters");
    if (named) {
      params.add(param("name", "path", "string", true));
    }
    if (namespaced) {
      params.add(param("namespace", "path", "string", true));
    }
    params.add(param("pretty", "query", "string", false));
    return item;
  }

  private void add(ObjectNode path, Action action, String id, Subject subject) {
    ObjectNode op = path.putObject(action.method);
    op.putArray("tags").add(subject.tag());
    op.put("operationId", id);
    ArrayNode params = op.putArray("parameters");
    for (String q : action.query) {
      String[] nameType = q.split(":");
      params.add(param(nameType[0], "query", nameType[1], false));
    }
    ObjectNode body = requestBody(action, subject);
    List<String> consumes = action == Action.PATCH ? PATCH_TYPES : List.of("*/*");
    boolean deleting = action == Action.DELETE || action == Action.DELETE_COLLECTION;
    if (body != null && flavor == Flavor.V2) {
      params.insert(
          0,
          JSON.objectNode()
              .put("name", "body")
              .put("in", "body")
              .put("required", !deleting)
              .set("schema", body));
      if (!deleting) {
        consumes.forEach(op.putArray("consumes")::add);
      }
    } else if (body != null) {
      ObjectNode requestBody = op.putObject("requestBody");
      ObjectNode content = requestBody.putObject("content");
      consumes.forEach(c -> content.putObject(c).set("schema", body));
      if (!deleting) {
        requestBody.put("required", true);
      }
    }
    List<String> produces = action == Action.LIST ? LIST_TYPES : OBJECT_TYPES;
    if (flavor == Flavor.V2) {
      produces.forEach(op.putArray("produces")::add);
      op.putArray("schemes").add("https");
    }
    ObjectNode response =
        switch (action) {
          case LIST -> subject.list();
          case DELETE, DELETE_COLLECTION -> schemas.ref(Status.class);
          default -> subject.object();
        };
    ObjectNode responses = op.putObject("responses");
    for (int code : action.codes) {
      ObjectNode r = responses.putObject(Integer.toString(code)).put("description", describe(code));
      if (flavor == Flavor.V2) {
        r.set("schema", response);
      } else {
        ObjectNode content = r.putObject("content");
        produces.forEach(c -> content.putObject(c).set("schema", response));
      }
    }
    responses.putObject("401").put("description", "Unauthorized");
    op.put("x-kubernetes-action", action.name);
    op.set("x-kubernetes-group-version-kind", subject.gvk());
  }

  private ObjectNode requestBody(Action action, Subject subject) {
    return switch (action) {
      case CREATE, REPLACE -> subject.object();
      case PATCH ->
          schemas.named(
              "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
              JSON.objectNode().put("type", "object"));
      case DELETE, DELETE_COLLECTION -> schemas.ref(DeleteOptions.class);
      case LIST, READ -> null;
    };
  }

  private ObjectNode param(String name, String in, String type, boolean required) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", in);
    if (flavor == Flavor.V2) {
      p.put("type", type).put("uniqueItems", true);
    } else {
      p.putObject("schema").put("type", type).put("uniqueItems", true);
    }
    if (required) {
      p.put("required", true);
    }
    return p;
  }

  private static String describe(int code) {
    return switch (code) {
      case 201 -> "Created";
      case 202 -> "Accepted";
      default -> "OK";
    };
  }

  private static ObjectNode gvk(String group, String version, String kind) {
    return JSON.objectNode().put("group", group).put("kind", kind).put("version", version);
  }

  /** {@code rbac.authorization.k8s.io} becomes {@code RbacAuthorization}; "" becomes Core. */
  static String camel(String group) {
    if (group.isEmpty()) {
      return "Core";
    }
    StringBuilder b = new StringBuilder();
    for (String part : group.replace(".k8s.io", "").split("\\.")) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /** Upstream's operation tag, e.g. {@code core_v1}, {@code rbacAuthorization_v1}. */
  static String tag(String group, String version) {
    String c = camel(group);
    return Character.toLowerCase(c.charAt(0)) + c.substring(1) + "_" + version;
  }
}
