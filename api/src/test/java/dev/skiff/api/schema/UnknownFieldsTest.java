package dev.skiff.api.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode parse(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void findsUnknownFieldsAtEveryDepth() throws Exception {
    JsonNode deployment =
        parse(
            "{'apiVersion':'apps/v1','kind':'Deployment','bogusField':1,"
                + "'metadata':{'name':'web','labels':{'app':'web'},'nmae':'typo'},"
                + "'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':["
                + "{'name':'a','image':'nginx','resources':{'limits':{'cpu':'1'}},"
                + "'ports':[{'containerPort':80,'protocl':'TCP'}]},"
                + "{'name':'b','image':'busybox','foo':{'bar':1}}]}}}}");

    List<String> unknown = UnknownFields.find(deployment, Deployment.class);

    assertEquals(
        List.of(
            "bogusField",
            "metadata.nmae",
            "spec.template.spec.containers[0].ports[0].protocl",
            "spec.template.spec.containers[1].foo"),
        unknown);
  }

  @Test
  void acceptsEveryDeclaredFieldIncludingSpecialScalars() throws Exception {
    JsonNode pod =
        parse(
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','creationTimestamp':null,"
                + "'managedFields':[{'manager':'kubectl','operation':'Update',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:metadata':{'f:labels':{'.':{}}}}}],"
                + "'ownerReferences':[{'apiVersion':'v1','kind':'X','name':'x','uid':'u'}]},"
                + "'spec':{'containers':[{'name':'a','image':'i','resources':{'requests':{'memory':'1Gi'}},"
                + "'livenessProbe':{'httpGet':{'port':'http','path':'/'}}}],"
                + "'volumes':[{'name':'v','emptyDir':{'sizeLimit':'1Gi'}}]},"
                + "'status':{'phase':'Running'}}");

    assertEquals(List.of(), UnknownFields.find(pod, Pod.class));
  }

  @Test
  void customResourcesHaveOnlyTheirMetadataChecked() throws Exception {
    JsonNode cr =
        parse(
            "{'apiVersion':'stable.example.com/v1','kind':'CronTab',"
                + "'metadata':{'name':'c','bogus':1},'spec':{'cronSpec':'* * * * */5'}}");

    assertEquals(
        List.of("metadata.bogus"), UnknownFields.find(cr, GenericKubernetesResource.class));
  }

  @Test
  void mapValuesAreNotFields() throws Exception {
    JsonNode cm = parse("{'data':{'anything':'goes','other':'too'},'binaryData':{'b':'AA=='}}");

    assertEquals(List.of(), UnknownFields.find(cm, ConfigMap.class));
  }

  @Test
  void findsDuplicateFieldsWithTheirPath() {
    byte[] json =
        "{\"metadata\":{\"name\":\"a\",\"name\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"x\"},{\"image\":\"i\",\"image\":\"j\"}]},\"spec\":{}}"
            .getBytes(StandardCharsets.UTF_8);

    assertEquals(
        List.of("metadata.name", "spec.containers[1].image", "spec"),
        UnknownFields.duplicates(json));
  }

  @Test
  void aBodyWithoutDuplicatesOrThatIsMalformedReportsNone() {
    byte[] clean =
        "{\"metadata\":{\"name\":\"a\"},\"data\":{\"name\":\"x\",\"a\":{\"name\":1}}}"
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(), UnknownFields.duplicates(clean));
    byte[] malformed = "{\"metadata\":{\"name\":".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(), UnknownFields.duplicates(malformed));
  }

  @Test
  void strictDecodingErrorReadsLikeUpstream() {
    assertEquals(
        "strict decoding error: unknown field \"bogusField\", unknown field \"spec.foo\"",
        UnknownFields.strictDecodingError(List.of("bogusField", "spec.foo"), List.of()));
  }
}
