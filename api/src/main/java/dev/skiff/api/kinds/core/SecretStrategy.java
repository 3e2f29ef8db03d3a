package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Secrets: type Opaque by default, {@code stringData} folded into {@code data}, the keys each
 * built-in type requires, 1 MiB, an immutable type, and the TYPE / DATA columns.
 */
public final class SecretStrategy extends DefaultStrategy {

  public static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
  public static final String SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name";

  /** Keys a built-in secret type must carry. */
  private static final Map<String, List<String>> REQUIRED_KEYS =
      Map.of(
          "kubernetes.io/dockercfg", List.of(".dockercfg"),
          "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"),
          "kubernetes.io/ssh-auth", List.of("ssh-privatekey"),
          "kubernetes.io/tls", List.of("tls.crt", "tls.key"));

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Type", "string", "The type of the secret"),
          TableColumn.of("Data", "string", "The number of data entries in the secret"),
          TableColumn.AGE);

  public SecretStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode secret) {
    if (secret.path("type").asText("").isEmpty()) {
      secret.put("type", "Opaque");
    }
    // stringData is write-only sugar: upstream merges it into data, overriding equal keys.
    if (secret.remove("stringData") instanceof ObjectNode plain) {
      ObjectNode data = secret.withObject("data");
      for (var e : plain.properties()) {
        byte[] bytes = e.getValue().asText("").getBytes(StandardCharsets.UTF_8);
        data.put(e.getKey(), Base64.getEncoder().encodeToString(bytes));
      }
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode secret) {
    JsonNode data = secret.path("data");
    List<FieldError> errs = new ArrayList<>(DataKeys.keys(data, "data"));
    long size = 0;
    for (var e : data.properties()) {
      try {
        size += Base64.getDecoder().decode(e.getValue().asText("")).length;
      } catch (IllegalArgumentException bad) {
        errs.add(
            FieldError.invalid(
                "data[" + e.getKey() + "]", "<secret contents redacted>", "illegal base64 data"));
      }
    }
    if (size > DataKeys.MAX_SIZE) {
      errs.add(
          new FieldError(
              FieldError.Type.TOO_LONG,
              "data",
              null,
              "may not be more than " + DataKeys.MAX_SIZE + " bytes"));
    }
    String type = secret.path("type").asText("");
    for (String key : REQUIRED_KEYS.getOrDefault(type, List.of())) {
      if (!data.has(key)) {
        errs.add(FieldError.required("data[" + key + "]", ""));
      }
    }
    if (type.equals("kubernetes.io/basic-auth") && !data.has("username") && !data.has("password")) {
      errs.add(FieldError.required("data[username]", ""));
      errs.add(FieldError.required("data[password]", ""));
    }
    if (type.equals(SERVICE_ACCOUNT_TOKEN)
        && secret
            .path("metadata")
            .path("annotations")
            .path(SERVICE_ACCOUNT_NAME)
            .asText("")
            .isEmpty()) {
      errs.add(FieldError.required("metadata.annotations[" + SERVICE_ACCOUNT_NAME + "]", ""));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode secret, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    String type = secret.path("type").asText("");
    if (!type.equals(old.path("type").asText(""))) {
      errs.add(FieldError.invalid("type", type, "field is immutable"));
    }
    errs.addAll(DataKeys.immutable(secret, old, List.of("data")));
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode secret) {
    return List.of(
        Printing.name(secret),
        secret.path("type").asText(""),
        (long) secret.path("data").size(),
        Printing.age(secret));
  }
}
