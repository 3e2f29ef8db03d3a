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
 * fields.
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
  private static final List<String> WRITE =
      List.of("dryRun:string", "fieldManager:string", "fieldValidation:string");
  private static final List<String> LIST =
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
  private static final List<String> DELETE =
      List.of(
          "dryRun:string",
          "gracePeriodSeconds:integer",
          "ignoreStoreReadErrorWithClusterBreakingPotential:boolean",
          "orphanDependents:boolean",
          "propagationPolicy:string");
  private static final List<String> DELETE_COLLECTION =
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

  private final Schemas schemas;
  private final Flavor flavor;
  private final ObjectNode paths;

  Operations(Schemas schemas, Flavor flavor, ObjectNode paths) {
    this.schemas = schemas;
    this.flavor = flavor;
    this.paths = paths;
  }

  void add(ResourceType t) {
    ObjectNode kindRef;
    ObjectNode listRef = null;
    if (t.javaType() == GenericKubernetesResource.class) {
      kindRef = schemas.custom(t);
      listRef = schemas.customList(t);
    } else {
      Class<?> type = t.javaType();
      kindRef = schemas.ref(type);
      schemas.kind(type, t.group(), t.version(), t.kind());
      try {
        Class<?> listType = Class.forName(type.getName() + "List", false, type.getClassLoader());
        listRef = schemas.ref(listType);
        schemas.kind(listType, t.group(), t.version(), t.listKind());
      } catch (ClassNotFoundException noList) {
        // Kinds that cannot be listed (reviews) have no list type.
      }
    }
    ObjectNode gvk = gvk(t.group(), t.version(), t.kind());
    String gv =
        camel(t.group()) + Character.toUpperCase(t.version().charAt(0)) + t.version().substring(1);
    String scope = t.namespaced() ? "Namespaced" : "";
    String base = (t.group().isEmpty() ? "/api/" : "/apis/" + t.group() + "/") + t.version();
    String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
    String item = collection + "/{name}";
    String tag = tag(t.group(), t.version());

    ObjectNode coll = pathItem(collection, t.namespaced(), false);
    if (t.verbs().contains("list") && listRef != null) {
      coll.set(
          "get",
          op(
              "list" + gv + scope + t.kind(),
              "list",
              tag,
              gvk,
              LIST,
              null,
              false,
              listRef,
              LIST_TYPES,
              200));
    }
    if (t.verbs().contains("create")) {
      coll.set(
          "post",
          op(
              "create" + gv + scope + t.kind(),
              "post",
              tag,
              gvk,
              WRITE,
              kindRef,
              false,
              kindRef,
              OBJECT_TYPES,
              200,
              201,
              202));
    }
    if (t.verbs().contains("deletecollection")) {
      coll.set(
          "delete",
          op(
              "delete" + gv + "Collection" + scope + t.kind(),
              "deletecollection",
              tag,
              gvk,
              DELETE_COLLECTION,
              schemas.ref(DeleteOptions.class),
              false,
              schemas.ref(Status.class),
              OBJECT_TYPES,
              200));
    }
    if (t.namespaced() && t.verbs().contains("list") && listRef != null) {
      ObjectNode all = pathItem(base + "/" + t.plural(), false, false);
      all.set(
          "get",
          op(
              "list" + gv + t.kind() + "ForAllNamespaces",
              "list",
              tag,
              gvk,
              LIST,
              null,
              false,
              listRef,
              LIST_TYPES,
              200));
    }
    if (t.verbs().contains("get")) {
      addItem(item, t.namespaced(), gv + scope + t.kind(), tag, gvk, kindRef, t, true);
    }
    if (t.hasSubresource("status")) {
      addItem(
          item + "/status",
          t.namespaced(),
          gv + scope + t.kind() + "Status",
          tag,
          gvk,
          kindRef,
          t,
          false);
    }
    if (t.hasSubresource("scale")) {
      addItem(
          item + "/scale",
          t.namespaced(),
          gv + scope + t.kind() + "Scale",
          tag,
          gvk("autoscaling", "v1", "Scale"),
          schemas.ref(Scale.class),
          t,
          false);
    }
  }

  private void addItem(
      String path,
      boolean namespaced,
      String suffix,
      String tag,
      ObjectNode gvk,
      ObjectNode ref,
      ResourceType t,
      boolean deletable) {
    ObjectNode p = pathItem(path, namespaced, true);
    p.set(
        "get",
        op("read" + suffix, "get", tag, gvk, List.of(), null, false, ref, OBJECT_TYPES, 200));
    if (t.verbs().contains("update")) {
      p.set(
          "put",
          op("replace" + suffix, "put", tag, gvk, WRITE, ref, false, ref, OBJECT_TYPES, 200, 201));
    }
    if (t.verbs().contains("patch")) {
      List<String> params =
          List.of(
              "dryRun:string", "fieldManager:string", "fieldValidation:string", "force:boolean");
      ObjectNode patchRef =
          schemas.named(
              "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
              JSON.objectNode().put("type", "object"));
      p.set(
          "patch",
          op(
              "patch" + suffix,
              "patch",
              tag,
              gvk,
              params,
              patchRef,
              true,
              ref,
              OBJECT_TYPES,
              200,
              201));
    }
    if (deletable && t.verbs().contains("delete")) {
      p.set(
          "delete",
          op(
              "delete" + suffix,
              "delete",
              tag,
              gvk,
              DELETE,
              schemas.ref(DeleteOptions.class),
              false,
              schemas.ref(Status.class),
              OBJECT_TYPES,
              200,
              202));
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

  private ObjectNode op(
      String id,
      String action,
      String tag,
      ObjectNode gvk,
      List<String> query,
      ObjectNode body,
      boolean patch,
      ObjectNode response,
      List<String> produces,
      int... codes) {
    ObjectNode op = JSON.objectNode();
    op.putArray("tags").add(tag);
    op.put("operationId", id);
    ArrayNode params = op.putArray("parameters");
    for (String q : query) {
      String[] nt = q.split(":");
      params.add(param(nt[0], "query", nt[1], false));
    }
    List<String> consumes = patch ? PATCH_TYPES : List.of("*/*");
    if (body != null && flavor == Flavor.V2) {
      params.insert(
          0,
          JSON.objectNode()
              .put("name", "body")
              .put("in", "body")
              .put("required", !action.startsWith("delete"))
              .set("schema", body));
      if (action.equals("patch") || action.equals("post") || action.equals("put")) {
        strings(op.putArray("consumes"), consumes);
      }
    } else if (body != null) {
      ObjectNode rb = op.putObject("requestBody");
      ObjectNode content = rb.putObject("content");
      consumes.forEach(c -> content.putObject(c).set("schema", body));
      if (!action.startsWith("delete")) {
        rb.put("required", true);
      }
    }
    if (flavor == Flavor.V2) {
      strings(op.putArray("produces"), produces);
      op.putArray("schemes").add("https");
    }
    ObjectNode responses = op.putObject("responses");
    for (int code : codes) {
      ObjectNode r = responses.putObject(Integer.toString(code)).put("description", describe(code));
      if (flavor == Flavor.V2) {
        r.set("schema", response);
      } else {
        ObjectNode content = r.putObject("content");
        produces.forEach(c -> content.putObject(c).set("schema", response));
      }
    }
    responses.putObject("401").put("description", "Unauthorized");
    op.put("x-kubernetes-action", action);
    op.set("x-kubernetes-group-version-kind", gvk);
    return op;
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

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
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
