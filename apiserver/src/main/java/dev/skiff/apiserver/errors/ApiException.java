package dev.skiff.apiserver.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A request failed in a way the client should see as a metav1.Status, with upstream's reason, code
 * and wording. Every error leaving a handler is one of these.
 */
public class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String name;
  private final String group;
  private final String kind;
  private final List<StatusCause> causes;
  private final int retryAfterSeconds;

  public ApiException(
      int code,
      String reason,
      String message,
      String name,
      String group,
      String kind,
      List<StatusCause> causes,
      int retryAfterSeconds) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
    this.causes = List.copyOf(causes);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  private static ApiException simple(int code, String reason, String message) {
    return new ApiException(code, reason, message, null, null, null, List.of(), 0);
  }

  /** {@code configmaps} or {@code deployments.apps}, as upstream's GroupResource. */
  public static String qualifiedResource(ResourceType type) {
    return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(
        404,
        "NotFound",
        qualifiedResource(type) + " \"" + name + "\" not found",
        name,
        type.group(),
        type.plural(),
        List.of(),
        0);
  }

  public static ApiException notFound(String group, String plural, String name) {
    String q = group.isEmpty() ? plural : plural + "." + group;
    return new ApiException(
        404, "NotFound", q + " \"" + name + "\" not found", name, group, plural, List.of(), 0);
  }

  public static ApiException pathNotFound() {
    return simple(404, "NotFound", "the server could not find the requested resource");
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        qualifiedResource(type) + " \"" + name + "\" already exists",
        name,
        type.group(),
        type.plural(),
        List.of(),
        0);
  }

  public static ApiException conflict(ResourceType type, String name, String why) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on " + qualifiedResource(type) + " \"" + name + "\": " + why,
        name,
        type.group(),
        type.plural(),
        List.of(),
        0);
  }

  public static ApiException staleUpdate(ResourceType type, String name) {
    return conflict(
        type,
        name,
        "the object has been modified; please apply your changes to the latest version and try"
            + " again");
  }

  /** 422 with one cause per field error; message as upstream's NewInvalid. */
  public static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
    String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    List<StatusCause> causes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (FieldError e : errors) {
      causes.add(new StatusCause(e.type().reason(), e.message(), e.field()));
      texts.add(e.toString());
    }
    String joined = texts.size() == 1 ? texts.getFirst() : "[" + String.join(", ", texts) + "]";
    return new ApiException(
        422,
        "Invalid",
        qualifiedKind + " \"" + name + "\" is invalid: " + joined,
        name,
        type.group(),
        type.kind(),
        causes,
        0);
  }

  /**
   * 422 for a bad request option, as upstream names it: {@code PatchOptions.meta.k8s.io "" is
   * invalid: force: Forbidden: ...}.
   *
   * @param options Create, Update or Patch
   */
  public static ApiException invalidOptions(String options, FieldError e) {
    return new ApiException(
        422,
        "Invalid",
        options + "Options.meta.k8s.io \"\" is invalid: " + e,
        null,
        "meta.k8s.io",
        options + "Options",
        List.of(new StatusCause(e.type().reason(), e.message(), e.field())),
        0);
  }

  public static ApiException badRequest(String message) {
    return simple(400, "BadRequest", message);
  }

  public static ApiException forbidden(ResourceType type, String name, String why) {
    return new ApiException(
        403,
        "Forbidden",
        qualifiedResource(type) + " \"" + name + "\" is forbidden: " + why,
        name,
        type.group(),
        type.plural(),
        List.of(),
        0);
  }

  public static ApiException methodNotAllowed() {
    return simple(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  public static ApiException gone(String message) {
    return simple(410, "Expired", message);
  }

  public static ApiException tooLarge(long limit) {
    return simple(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit);
  }

  public static ApiException unsupportedMediaType(String contentType) {
    return simple(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json, application/yaml, application/json-patch+json,"
            + " application/merge-patch+json, application/strategic-merge-patch+json,"
            + " application/vnd.kubernetes.protobuf"
            + (contentType.isEmpty() ? "" : " (got " + contentType + ")"));
  }

  public static ApiException notAcceptable() {
    return simple(
        406,
        "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml");
  }

  public static ApiException tooLargeResourceVersion(long requested, long current) {
    return new ApiException(
        504,
        "Timeout",
        "Too large resource version: " + requested + ", current: " + current,
        null,
        null,
        null,
        List.of(new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)),
        1);
  }

  public static ApiException internal(String message) {
    return simple(500, "InternalError", "Internal error occurred: " + message);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** Seconds the client should wait before retrying; 0 when not said. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The metav1.Status body. */
  public ObjectNode toStatus() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", getMessage());
    s.put("reason", reason);
    if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds > 0) {
      ObjectNode d = s.putObject("details");
      if (name != null) {
        d.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        d.put("group", group);
      }
      if (kind != null) {
        d.put("kind", kind);
      }
      if (!causes.isEmpty()) {
        var arr = d.putArray("causes");
        for (StatusCause c : causes) {
          ObjectNode cn = arr.addObject();
          cn.put("reason", c.reason());
          cn.put("message", c.message());
          if (c.field() != null) {
            cn.put("field", c.field());
          }
        }
      }
      if (retryAfterSeconds > 0) {
        d.put("retryAfterSeconds", retryAfterSeconds);
      }
    }
    s.put("code", code);
    return s;
  }

  /** Errors are expected outcomes, not bugs: no stack trace is captured. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
