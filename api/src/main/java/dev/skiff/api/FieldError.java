package dev.skiff.api;

/**
 * One reason an object is invalid, as upstream's field.Error; becomes one {@code details.causes[]}
 * entry of a 422 Invalid Status.
 *
 * @param field path such as {@code spec.containers[0].name}
 * @param badValue the offending value, or null where upstream omits it (Required, Forbidden)
 * @param detail human explanation, may be empty
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** Upstream's field.ErrorType: the {@code reason} of a cause and the prefix of its message. */
  public enum Type {
    NOT_FOUND("FieldValueNotFound", "Not found"),
    REQUIRED("FieldValueRequired", "Required value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    INTERNAL("InternalError", "Internal error");

    private final String reason;
    private final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }

    public String reason() {
      return reason;
    }

    public String text() {
      return text;
    }
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, "");
  }

  public static FieldError notSupported(String field, Object value, java.util.List<String> valid) {
    StringBuilder d = new StringBuilder("supported values: ");
    for (int i = 0; i < valid.size(); i++) {
      d.append(i == 0 ? "" : ", ").append('"').append(valid.get(i)).append('"');
    }
    return new FieldError(Type.NOT_SUPPORTED, field, value, d.toString());
  }

  /** The cause message without the field, e.g. {@code Invalid value: "x": must be ...}. */
  public String message() {
    StringBuilder m = new StringBuilder(type.text());
    if (badValue != null && type != Type.REQUIRED && type != Type.FORBIDDEN) {
      m.append(": ")
          .append(badValue instanceof String s ? '"' + s + '"' : String.valueOf(badValue));
    }
    if (detail != null && !detail.isEmpty()) {
      m.append(": ").append(detail);
    }
    return m.toString();
  }

  /** {@code field: message}, as upstream joins causes into a Status message. */
  @Override
  public String toString() {
    return field + ": " + message();
  }
}
