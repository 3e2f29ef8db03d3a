package dev.skiff.api.patch;

import static dev.skiff.api.patch.Json.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** Patches as kubectl sends them, applied to objects as the API server stores them. */
class StrategicMergePatchTest {
  private static final String DEPLOYMENT =
      "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},"
          + "'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}},"
          + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},"
          + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{"
          + "'containers':["
          + "{'name':'nginx','image':'nginx:1.14','ports':[{'containerPort':80,'protocol':'TCP'}],"
          + "'env':[{'name':'A','value':'1'},{'name':'C','value':'3'}],"
          + "'resources':{'limits':{'cpu':'100m','memory':'64Mi'}}},"
          + "{'name':'sidecar','image':'busybox','args':['sleep','3600']}],"
          + "'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}],"
          + "'volumes':[{'name':'data','emptyDir':{}},{'name':'conf','configMap':{'name':'c'}}]}}}}";

  private static JsonNode patchDeployment(String patch) {
    return StrategicMergePatch.apply(parse(DEPLOYMENT), parse(patch), Deployment.class);
  }

  private static JsonNode container(JsonNode obj, int i) {
    return obj.at("/spec/template/spec/containers/" + i);
  }

  @Test
  void setImageMergesTheContainerByName() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'containers':[{'image':'nginx:1.16','name':'nginx'}]}}}}");

    assertEquals("nginx:1.16", container(result, 0).path("image").asText());
    assertEquals(80, container(result, 0).at("/ports/0/containerPort").asInt());
    assertEquals("sidecar", container(result, 1).path("name").asText());
    assertEquals(2, result.at("/spec/template/spec/containers").size());
  }

  @Test
  void setEnvAddsAndDeletesByNameInPatchOrder() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'containers':[{'name':'nginx','env':["
                + "{'name':'B','value':'2'},{'$patch':'delete','name':'A'},{'name':'C','value':'30'}]}]}}}}");

    assertEquals(
        parse("[{'name':'B','value':'2'},{'name':'C','value':'30'}]"),
        container(result, 0).path("env"));
  }

  @Test
  void setResourcesMergesTheResourceMaps() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'containers':[{'name':'nginx',"
                + "'resources':{'limits':{'cpu':'200m'},'requests':{'cpu':'50m'}}}]}}}}");

    assertEquals(
        parse("{'limits':{'cpu':'200m','memory':'64Mi'},'requests':{'cpu':'50m'}}"),
        container(result, 0).path("resources"));
  }

  @Test
  void labelAndUnlabel() {
    JsonNode result = patchDeployment("{'metadata':{'labels':{'app':null,'tier':'fe'}}}");

    assertEquals(parse("{'tier':'fe'}"), result.at("/metadata/labels"));
  }

  @Test
  void kubectlApplyThreeWayPatchPrunesRemovedFieldsAndKeepsOrder() {
    // kubectl apply after the manifest dropped replicas and env A, added env B and a new
    // container placed before the sidecar, and changed the image.
    String patch =
        "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},"
            + "'spec':{'replicas':null,'template':{'spec':{"
            + "'$setElementOrder/containers':[{'name':'nginx'},{'name':'log'},{'name':'sidecar'}],"
            + "'containers':[{'$setElementOrder/env':[{'name':'B'},{'name':'C'}],"
            + "'env':[{'name':'B','value':'2'},{'$patch':'delete','name':'A'}],"
            + "'image':'nginx:1.16','name':'nginx'},"
            + "{'image':'fluentd','name':'log'}]}}}}";

    JsonNode result = patchDeployment(patch);

    assertFalse(result.path("spec").has("replicas"));
    assertEquals(
        "{}",
        result
            .at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
            .asText());
    JsonNode containers = result.at("/spec/template/spec/containers");
    assertEquals("nginx", containers.get(0).path("name").asText());
    assertEquals("log", containers.get(1).path("name").asText());
    assertEquals("sidecar", containers.get(2).path("name").asText());
    assertEquals(
        parse("[{'name':'B','value':'2'},{'name':'C','value':'3'}]"),
        containers.get(0).path("env"));
    assertEquals("nginx:1.16", containers.get(0).path("image").asText());
    assertFalse(result.toString().contains("$setElementOrder"));
  }

  @Test
  void setElementOrderReordersWithoutChangingContent() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'nginx'}]}}}}");

    assertEquals("sidecar", container(result, 0).path("name").asText());
    assertEquals("nginx:1.14", container(result, 1).path("image").asText());
  }

  @Test
  void retainKeysClearsTheOtherMemberOfAUnion() {
    JsonNode strategy =
        patchDeployment(
                "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}")
            .at("/spec/strategy");
    JsonNode volumes =
        patchDeployment(
                "{'spec':{'template':{'spec':{'volumes':[{'$retainKeys':['hostPath','name'],"
                    + "'hostPath':{'path':'/srv'},'name':'data'}]}}}}")
            .at("/spec/template/spec/volumes");

    assertEquals(parse("{'type':'Recreate'}"), strategy);
    assertEquals(
        parse(
            "[{'name':'data','hostPath':{'path':'/srv'}},{'name':'conf','configMap':{'name':'c'}}]"),
        volumes);
  }

  @Test
  void retainKeysMustCoverThePatchedKeys() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                patchDeployment(
                    "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}"));

    assertEquals(422, e.code());
  }

  @Test
  void listsWithoutAStrategyAreReplaced() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'tolerations':[{'key':'c','operator':'Exists'}],"
                + "'containers':[{'name':'sidecar','args':['sleep','10']}]}}}}");

    assertEquals(
        parse("[{'key':'c','operator':'Exists'}]"), result.at("/spec/template/spec/tolerations"));
    assertEquals(parse("['sleep','10']"), container(result, 1).path("args"));
  }

  @Test
  void replaceDirectiveReplacesAListOrAMap() {
    JsonNode list =
        patchDeployment(
            "{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}}}");
    JsonNode map =
        patchDeployment("{'spec':{'selector':{'$patch':'replace','matchLabels':{'run':'web'}}}}");

    assertEquals(parse("[{'name':'only','image':'x'}]"), list.at("/spec/template/spec/containers"));
    assertEquals(parse("{'matchLabels':{'run':'web'}}"), map.at("/spec/selector"));
  }

  @Test
  void deleteDirectiveRemovesAMap() {
    JsonNode result = patchDeployment("{'spec':{'strategy':{'$patch':'delete'}}}");

    assertEquals(parse("{}"), result.at("/spec/strategy"));
  }

  @Test
  void containerPortsMergeByContainerPort() {
    JsonNode result =
        patchDeployment(
            "{'spec':{'template':{'spec':{'containers':[{'name':'nginx','ports':["
                + "{'containerPort':80,'name':'http'},{'containerPort':443}]}]}}}}");

    assertEquals(
        parse("[{'containerPort':80,'protocol':'TCP','name':'http'},{'containerPort':443}]"),
        container(result, 0).path("ports"));
  }

  @Test
  void servicePortsMergeByPort() {
    JsonNode svc =
        parse(
            "{'spec':{'ports':[{'port':80,'targetPort':8080,'protocol':'TCP'},{'port':443,'targetPort':8443}]}}");

    JsonNode result =
        StrategicMergePatch.apply(
            svc, parse("{'spec':{'ports':[{'port':443,'targetPort':9443}]}}"), Service.class);

    assertEquals(
        parse("[{'port':80,'targetPort':8080,'protocol':'TCP'},{'port':443,'targetPort':9443}]"),
        result.at("/spec/ports"));
  }

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveList() {
    JsonNode pod = parse("{'metadata':{'finalizers':['a','b']}}");

    JsonNode added =
        StrategicMergePatch.apply(pod, parse("{'metadata':{'finalizers':['b','c']}}"), Pod.class);
    JsonNode removed =
        StrategicMergePatch.apply(
            pod, parse("{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}"), Pod.class);

    assertEquals(parse("['a','b','c']"), added.at("/metadata/finalizers"));
    assertEquals(parse("['b']"), removed.at("/metadata/finalizers"));
  }

  @Test
  void statusConditionsMergeByType() {
    JsonNode node =
        parse(
            "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}]}}");

    JsonNode result =
        StrategicMergePatch.apply(
            node,
            parse(
                "{'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'}]}}"),
            Node.class);

    assertEquals(
        parse(
            "[{'type':'Ready','status':'True','reason':'KubeletReady'},{'type':'MemoryPressure','status':'False'}]"),
        result.at("/status/conditions"));
  }

  @Test
  void missingMergeKeyIsAnError() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () -> patchDeployment("{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}"));

    assertEquals("map: map[image:x] does not contain declared merge key: name", e.getMessage());
  }

  @Test
  void unknownDirectiveIsAnError() {
    assertThrows(PatchException.class, () -> patchDeployment("{'spec':{'$patch':'frobnicate'}}"));
  }

  @Test
  void newFieldsAreTakenWithoutDirectivesOrNulls() {
    JsonNode result =
        StrategicMergePatch.apply(
            parse("{'metadata':{'name':'p'}}"),
            parse(
                "{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                    + "'containers':[{'name':'a','image':'x','workingDir':null}]}}"),
            Pod.class);

    assertEquals(parse("{'containers':[{'name':'a','image':'x'}]}"), result.path("spec"));
  }

  @Test
  void customResourcesGetMergePatchSemantics() {
    JsonNode cr = parse("{'spec':{'items':[{'name':'a','v':1}],'keep':true}}");

    JsonNode result =
        StrategicMergePatch.apply(
            cr, parse("{'spec':{'items':[{'name':'b'}]}}"), GenericKubernetesResource.class);

    assertEquals(parse("{'items':[{'name':'b'}],'keep':true}"), result.path("spec"));
  }

  @Test
  void neverChangesItsInputs() {
    JsonNode original = parse(DEPLOYMENT);
    JsonNode patch =
        parse(
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'},'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'sidecar'},{'name':'nginx'}],"
                + "'containers':[{'name':'nginx','env':[{'$patch':'delete','name':'A'}]}]}}}}");
    JsonNode patchCopy = patch.deepCopy();

    StrategicMergePatch.apply(original, patch, Deployment.class);

    assertEquals(parse(DEPLOYMENT), original);
    assertEquals(patchCopy, patch);
  }
}
