package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.api.patch.JsonMergePatch;
import dev.skiff.api.patch.JsonPatch;
import dev.skiff.api.patch.PatchException;
import dev.skiff.api.patch.StrategicMergePatch;
import dev.skiff.apiserver.apply.ApplyPatch;
import dev.skiff.apiserver.apply.ManagerName;
import dev.skiff.apiserver.apply.UpdateTracking;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.FieldTracking;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.registry.ResourceStore;
import java.io.IOException;

/** create (POST), update (PUT) and patch (PATCH) of any resource and its status. */
public final class WriteHandlers {
  private final RestContext ctx;
  private final FieldValidation fieldValidation;
  private final ApplyPatch applyPatch;

  public WriteHandlers(RestContext ctx) {
    this.ctx = ctx;
    this.fieldValidation = new FieldValidation();
    this.applyPatch = new ApplyPatch(ctx.resources().clock());
  }

  private FieldTracking tracking(Exchange ex, ResourceType t, String options, String sub) {
    return new UpdateTracking(t, ManagerName.of(ex, options), sub, ctx.resources().clock());
  }

  public void create(Exchange ex, ResourceType t, String ns) {
    ObjectNode body = ex.bodyObject();
    checkKind(t, body);
    checkNamespace(t, ns, body);
    fieldValidation.check(ex, t, body);
    if (CertificateRequests.isRequest(t)) {
      CertificateRequests.stampRequester(body, ex.user());
    }
    boolean dryRun = RestContext.dryRun(ex);
    FieldTracking tracking = tracking(ex, t, "Create", "");
    byte[][] json = {null};
    ObjectNode created =
        ctx.services()
            .create(
                t,
                body,
                dryRun,
                b -> {
                  ResourceStore.Created c =
                      ctx.resources().createEncoded(t, ns, b, dryRun, tracking);
                  json[0] = c.json();
                  return c.object();
                });
    ctx.respond(ex, t, 201, created, json[0]);
  }

  public void update(Exchange ex, ResourceType t, String ns, String name, String sub) {
    ObjectNode body = ex.bodyObject();
    checkKind(t, body);
    checkNamespace(t, ns, body);
    fieldValidation.check(ex, t, body);
    boolean dryRun = RestContext.dryRun(ex);
    FieldTracking tracking = tracking(ex, t, "Update", sub);
    ResourceStore.UpdateResult r =
        ctx.services()
            .update(
                t,
                sub,
                dryRun,
                current -> {
                  ObjectNode desired = body.deepCopy();
                  if (current == null && ObjectMeta.name(desired).isEmpty()) {
                    Json.metadata(desired).put("name", name);
                  }
                  return desired;
                },
                u -> ctx.resources().update(t, ns, name, sub, dryRun, u, tracking, false));
    ctx.respond(ex, t, r.created() ? 201 : 200, r.object());
  }

  public void patch(Exchange ex, ResourceType t, String ns, String name, String sub) {
    if (ex.contentType().type().equals(ApplyPatch.CONTENT_TYPE)) {
      apply(ex, t, ns, name, sub);
      return;
    }
    PatchType type = PatchType.of(ex.contentType().type());
    if (ex.hasQuery("force")) {
      throw ApiException.invalidOptions(
          "Patch", FieldError.forbidden("force", "may not be specified for non-apply patch"));
    }
    JsonNode patch = parsePatch(ex.body(), type);
    boolean dryRun = RestContext.dryRun(ex);
    FieldTracking tracking = tracking(ex, t, "Patch", sub);
    ResourceStore.UpdateResult r =
        ctx.services()
            .update(
                t,
                sub,
                dryRun,
                current -> {
                  ObjectNode patched = apply(t, current, patch, type);
                  fieldValidation.checkResult(ex, t, patched);
                  return patched;
                },
                u -> ctx.resources().update(t, ns, name, sub, dryRun, u, tracking, false));
    ctx.respond(ex, t, 200, r.object());
  }

  private void apply(Exchange ex, ResourceType t, String ns, String name, String sub) {
    ObjectNode config = Exchange.decode(ex.body(), true);
    checkKind(t, config);
    checkNamespace(t, ns, config);
    fieldValidation.check(ex, t, config);
    boolean dryRun = RestContext.dryRun(ex);
    ApplyPatch.Write w = applyPatch.prepare(ex, t, ns, name, sub, config);
    ResourceStore.UpdateResult r =
        ctx.services()
            .update(
                t,
                sub,
                dryRun,
                w.updater(),
                u -> ctx.resources().update(t, ns, name, sub, dryRun, u, w.tracking(), true));
    ctx.respond(ex, t, r.created() ? 201 : 200, r.object());
  }

  /** Applies a patch document to the current object, for patch and for scale patches. */
  static ObjectNode apply(ResourceType t, ObjectNode current, JsonNode patch, PatchType type) {
    if (current == null) {
      throw ApiException.notFound(t, "");
    }
    JsonNode result;
    try {
      result =
          switch (type) {
            case JSON -> JsonPatch.apply(current, patch);
            case MERGE -> JsonMergePatch.apply(current, patch);
            case STRATEGIC -> StrategicMergePatch.apply(current, patch, t.javaType());
          };
    } catch (PatchException e) {
      if (e.code() == 400) {
        throw ApiException.badRequest(e.getMessage());
      }
      throw new ApiException(
          e.code(),
          "Invalid",
          e.getMessage(),
          ObjectMeta.name(current),
          t.group(),
          t.kind(),
          java.util.List.of(),
          0);
    }
    if (!(result instanceof ObjectNode obj)) {
      throw ApiException.badRequest("the patch did not result in an object");
    }
    if (!ObjectMeta.name(obj).equals(ObjectMeta.name(current))) {
      throw ApiException.badRequest(
          "the name of the object ("
              + ObjectMeta.name(obj)
              + ") does not match the name on the URL ("
              + ObjectMeta.name(current)
              + ")");
    }
    return obj;
  }

  /** The three patch encodings besides server-side apply. */
  enum PatchType {
    JSON,
    MERGE,
    STRATEGIC;

    static PatchType of(String contentType) {
      return switch (contentType) {
        case "application/json-patch+json" -> JSON;
        case "application/merge-patch+json" -> MERGE;
        case "application/strategic-merge-patch+json" -> STRATEGIC;
        default -> throw ApiException.unsupportedMediaType(contentType);
      };
    }
  }

  static JsonNode parsePatch(byte[] body, PatchType type) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("error decoding patch: " + e.getMessage());
    }
    if (n == null || n.isMissingNode()) {
      throw ApiException.badRequest("the patch is empty");
    }
    if (type == PatchType.JSON && !n.isArray()) {
      throw ApiException.badRequest(
          "json: cannot unmarshal "
              + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
              + " into Go value of type jsonpatch.Patch");
    }
    if (type != PatchType.JSON && !n.isObject()) {
      throw ApiException.badRequest("the patch must be a JSON object");
    }
    return n;
  }

  static void checkKind(ResourceType t, ObjectNode body) {
    String apiVersion = Json.text(body, "apiVersion");
    String kind = Json.text(body, "kind");
    if (!apiVersion.isEmpty() && !apiVersion.equals(t.groupVersion())) {
      throw ApiException.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + t.groupVersion()
              + ")");
    }
    if (!kind.isEmpty() && !kind.equals(t.kind())) {
      throw ApiException.badRequest(
          "the kind in the data ("
              + kind
              + ") does not match the expected kind ("
              + t.kind()
              + ")");
    }
  }

  static void checkNamespace(ResourceType t, String ns, ObjectNode body) {
    String bodyNs = ObjectMeta.namespace(body);
    if (t.namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
  }
}
