package dev.skiff.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class NameValidationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void badNameGetsUpstreamsExactMessage() throws Exception {
    List<FieldError> errs =
        ObjectMetaValidation.validate(
            obj("{'metadata':{'name':'Bad_Name','namespace':'default'}}"),
            true,
            NameValidation.DNS1123_SUBDOMAIN_NAME);
    assertEquals(1, errs.size());
    assertEquals(
        "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of"
            + " lower case alphanumeric characters, '-' or '.', and must start and end with an"
            + " alphanumeric character (e.g. 'example.com', regex used for validation is"
            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        errs.getFirst().toString());
  }

  @Test
  void dnsLabelsKeepUpstreamsDoubleSpaceBetweenExamples() {
    assertEquals(
        List.of(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
                + " and must start and end with an alphanumeric character (e.g. 'my-name',  or"
                + " '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        NameValidation.dns1123Label("a.b"));
    assertEquals(
        List.of(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start"
                + " with an alphabetic character, and end with an alphanumeric character (e.g."
                + " 'my-name',  or 'abc-123', regex used for validation is"
                + " '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        NameValidation.dns1035Label("1abc"));
    assertEquals(
        List.of("must be no more than 63 characters"), NameValidation.dns1123Label("a".repeat(64)));
    assertTrue(NameValidation.dns1123Subdomain("a.example-1.com").isEmpty());
  }

  @Test
  void generateNameMayEndWithADash() throws Exception {
    assertTrue(
        ObjectMetaValidation.validate(
                obj("{'metadata':{'generateName':'web-','name':'web-x1z'}}"),
                false,
                NameValidation.DNS1123_SUBDOMAIN_NAME)
            .isEmpty());
  }

  @Test
  void missingNameAndNamespaceAreRequired() throws Exception {
    List<String> errs =
        ObjectMetaValidation.validate(
                obj("{'metadata':{}}"), true, NameValidation.DNS1123_SUBDOMAIN_NAME)
            .stream()
            .map(FieldError::toString)
            .toList();
    assertEquals(
        List.of(
            "metadata.name: Required value: name or generateName is required",
            "metadata.namespace: Required value"),
        errs);
    assertEquals(
        "metadata.namespace: Forbidden: not allowed on this type",
        ObjectMetaValidation.validate(
                obj("{'metadata':{'name':'n','namespace':'x'}}"),
                false,
                NameValidation.DNS1123_LABEL_NAME)
            .getFirst()
            .toString());
  }

  @Test
  void labelKeysAndValuesAreChecked() throws Exception {
    List<String> errs =
        ObjectMetaValidation.validate(
                obj("{'metadata':{'name':'n','labels':{'a/b/c':'x','ok':'-bad'}}}"),
                false,
                NameValidation.DNS1123_SUBDOMAIN_NAME)
            .stream()
            .map(FieldError::toString)
            .toList();
    assertEquals(2, errs.size());
    assertTrue(
        errs.get(0)
            .startsWith(
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of"),
        errs.get(0));
    assertTrue(
        errs.get(1)
            .startsWith(
                "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string"),
        errs.get(1));
    assertEquals(List.of("prefix part must be non-empty"), NameValidation.qualifiedName("/name"));
  }

  @Test
  void annotationsHaveATotalSizeLimit() throws Exception {
    ObjectNode o = obj("{'metadata':{'name':'n'}}");
    o.withObject("metadata").withObject("annotations").put("big", "x".repeat(256 * 1024));
    List<FieldError> errs =
        ObjectMetaValidation.validate(o, false, NameValidation.DNS1123_SUBDOMAIN_NAME);
    assertEquals(
        "metadata.annotations: Too long: may not be more than 262144 bytes",
        errs.getFirst().toString());
  }

  @Test
  void updatesMayNotRename() throws Exception {
    assertEquals(
        "metadata.name: Invalid value: \"b\": field is immutable",
        ObjectMetaValidation.validateUpdate(
                obj("{'metadata':{'name':'b'}}"), obj("{'metadata':{'name':'a'}}"))
            .getFirst()
            .toString());
  }

  @Test
  void workloadSelectorMustMatchTemplate() throws Exception {
    ObjectNode spec =
        obj(
            "{'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'api'}}}}");
    assertEquals(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}:"
            + " `selector` does not match template `labels`",
        LabelSelectorValidation.validateWorkload(spec, "deployment").getFirst().toString());
    assertEquals(
        "spec.selector: Required value",
        LabelSelectorValidation.validateWorkload(obj("{}"), "deployment").getFirst().toString());
    assertEquals(
        "spec.selector.matchExpressions[0].values: Required value: must be specified when"
            + " `operator` is 'In' or 'NotIn'",
        LabelSelectorValidation.validate(
                obj("{'matchExpressions':[{'key':'a','operator':'In'}]}"), "spec.selector")
            .getFirst()
            .toString());
  }
}
