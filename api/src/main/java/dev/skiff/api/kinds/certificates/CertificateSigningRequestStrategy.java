package dev.skiff.api.kinds.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.ImmutableField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CertificateSigningRequests: a request and signer are required, the spec never changes, status
 * (approval and certificate) comes only through the subresources; kubectl's CONDITION column.
 */
public final class CertificateSigningRequestStrategy extends DefaultStrategy {

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.AGE,
          TableColumn.of("SignerName", "string", "Requested signer for the request."),
          TableColumn.of("Requestor", "string", "Name of the user who requested the certificate."),
          TableColumn.of(
              "RequestedDuration", "string", "Requested duration of the issued certificate."),
          TableColumn.of("Condition", "string", "State of the request."));

  public CertificateSigningRequestStrategy() {
    super(false);
  }

  @Override
  public void prepareForCreate(ObjectNode csr) {
    initialStatus(csr);
  }

  @Override
  public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
    keepStatus(csr, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode csr) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = csr.path("spec");
    if (spec.path("request").asText("").isEmpty()) {
      errs.add(
          FieldError.invalid(
              "spec.request",
              new dev.skiff.api.validation.GoSyntax("[]byte(nil)"),
              "PEM block type must be CERTIFICATE REQUEST"));
    }
    if (spec.path("signerName").asText("").isEmpty()) {
      errs.add(FieldError.required("spec.signerName", ""));
    }
    if (spec.path("expirationSeconds").isNumber()
        && spec.path("expirationSeconds").asLong() < 600) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              spec.path("expirationSeconds").asLong(),
              "may not specify a duration less than 600 seconds (10 minutes)"));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode csr, ObjectNode old) {
    return ImmutableField.unchanged(csr, old, "spec");
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode csr) {
    JsonNode spec = csr.path("spec");
    JsonNode seconds = spec.path("expirationSeconds");
    return List.of(
        Printing.name(csr),
        Printing.age(csr),
        Printing.orNone(spec.path("signerName")),
        spec.path("username").asText(""),
        seconds.isNumber()
            ? Printing.humanDuration(Duration.ofSeconds(seconds.asLong()))
            : Printing.NONE,
        condition(csr.path("status")));
  }

  static String condition(JsonNode status) {
    boolean approved = false;
    boolean denied = false;
    boolean failed = false;
    for (JsonNode c : status.path("conditions")) {
      switch (c.path("type").asText("")) {
        case "Approved" -> approved = true;
        case "Denied" -> denied = true;
        case "Failed" -> failed = true;
        default -> {}
      }
    }
    String s = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) {
      s += ",Failed";
    }
    if (!status.path("certificate").asText("").isEmpty()) {
      s += ",Issued";
    }
    return s;
  }
}
