package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static dev.skiff.api.kinds.Strategies.created;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStrategyTest {

  private final PodStrategy strategy = new PodStrategy();

  private static final String NGINX =
      "{'metadata':{'name':'web','namespace':'default'},"
          + "'spec':{'containers':[{'name':'nginx','image':'nginx'}]}}";

  @Test
  void createFillsUpstreamDefaults() {
    ObjectNode pod = created(strategy, NGINX);
    assertEquals("Always", pod.at("/spec/restartPolicy").asText());
    assertEquals("ClusterFirst", pod.at("/spec/dnsPolicy").asText());
    assertEquals(30, pod.at("/spec/terminationGracePeriodSeconds").asInt());
    assertEquals("default-scheduler", pod.at("/spec/schedulerName").asText());
    assertTrue(pod.at("/spec/securityContext").isObject());
    assertTrue(pod.at("/spec/enableServiceLinks").asBoolean());
    assertEquals("default", pod.at("/spec/serviceAccountName").asText());
    assertEquals("Always", pod.at("/spec/containers/0/imagePullPolicy").asText());
    assertEquals(
        "/dev/termination-log", pod.at("/spec/containers/0/terminationMessagePath").asText());
    assertEquals("File", pod.at("/spec/containers/0/terminationMessagePolicy").asText());
    assertEquals("Pending", pod.at("/status/phase").asText());
    assertEquals("BestEffort", pod.at("/status/qosClass").asText());
    assertTrue(strategy.validate(pod).isEmpty(), () -> messages(strategy.validate(pod)).toString());
  }

  @Test
  void pullPolicyFollowsTheTag() {
    assertEquals("IfNotPresent", PodSpecDefaults.pullPolicy("nginx:1.27"));
    assertEquals("Always", PodSpecDefaults.pullPolicy("nginx:latest"));
    assertEquals("Always", PodSpecDefaults.pullPolicy("localhost:5000/nginx"));
    assertEquals("IfNotPresent", PodSpecDefaults.pullPolicy("localhost:5000/nginx:1"));
    assertEquals("IfNotPresent", PodSpecDefaults.pullPolicy("nginx@sha256:abc"));
  }

  @Test
  void qosClassFollowsRequestsAndLimits() {
    ObjectNode guaranteed =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i',"
                + "'resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}");
    assertEquals("Guaranteed", guaranteed.at("/status/qosClass").asText());
    assertEquals("1", guaranteed.at("/spec/containers/0/resources/requests/cpu").asText());
    ObjectNode burstable =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i',"
                + "'resources':{'requests':{'cpu':'100m'}}}]}}");
    assertEquals("Burstable", burstable.at("/status/qosClass").asText());
  }

  @Test
  void qosIsRightWhenPrepareRunsBeforeDefaults() {
    ObjectNode pod =
        obj(
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i',"
                + "'resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}");
    strategy.prepareForCreate(pod);
    strategy.applyDefaults(pod);
    assertEquals("Guaranteed", pod.at("/status/qosClass").asText());
  }

  @Test
  void duplicateContainerAndPortNamesAreRejected() {
    ObjectNode pod =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':["
                + "{'name':'a','image':'i','ports':[{'name':'http','containerPort':80},{'name':'http','containerPort':81}]},"
                + "{'name':'a','image':'i'}]}}");
    assertEquals(
        List.of(
            "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
            "spec.containers[1].name: Duplicate value: \"a\""),
        messages(strategy.validate(pod)));
  }

  @Test
  void requestsMayNotExceedLimits() {
    ObjectNode pod =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i',"
                + "'resources':{'requests':{'cpu':'2'},'limits':{'cpu':'1'}}}]}}");
    assertEquals(
        List.of(
            "spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than"
                + " or equal to cpu limit of 1"),
        messages(strategy.validate(pod)));
  }

  @Test
  void tolerationsFollowUpstreamsRules() {
    ObjectNode pod =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i'}],"
                + "'tolerations':[{'operator':'Equal','value':'x'},{'key':'k','operator':'Exists','effect':'NoSchedule'},"
                + "{'key':'k','effect':'Never'}]}}");
    assertEquals(
        List.of(
            "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when"
                + " `key` is empty, which means \"match all values and all keys\"",
            "spec.tolerations[2].effect: Unsupported value: \"Never\": supported values:"
                + " \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        messages(strategy.validate(pod)));
  }

  @Test
  void negativeQuantitiesAreRejected() {
    ObjectNode pod =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i',"
                + "'resources':{'requests':{'memory':'-1Gi'}}}]}}");
    assertEquals(
        List.of(
            "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Gi\": must be greater"
                + " than or equal to 0"),
        messages(strategy.validate(pod)));
  }

  @Test
  void missingContainersAndImagesAreRequired() {
    ObjectNode pod = created(strategy, "{'metadata':{'name':'p','namespace':'d'},'spec':{}}");
    assertEquals(List.of("spec.containers: Required value"), messages(strategy.validate(pod)));
    ObjectNode noImage =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c'}]}}");
    assertEquals(
        List.of("spec.containers[0].image: Required value"), messages(strategy.validate(noImage)));
  }

  @Test
  void updateMayChangeTheImageButNotOtherSpecFields() {
    ObjectNode old = created(strategy, NGINX);
    ObjectNode newImage = old.deepCopy();
    ((ObjectNode) newImage.at("/spec/containers/0")).put("image", "nginx:1.27");
    assertTrue(strategy.validateUpdate(newImage, old).isEmpty());

    ObjectNode newPort = old.deepCopy();
    ((ObjectNode) newPort.at("/spec/containers/0"))
        .putArray("ports")
        .addObject()
        .put("containerPort", 80)
        .put("protocol", "TCP");
    List<FieldError> errs = strategy.validateUpdate(newPort, old);
    assertEquals(1, errs.size());
    assertEquals("spec", errs.getFirst().field());
    assertTrue(
        errs.getFirst()
            .message()
            .startsWith(
                "Forbidden: pod updates may not change fields other than"
                    + " `spec.containers[*].image`,`spec.initContainers[*].image`,"),
        errs.getFirst().message());
    assertTrue(errs.getFirst().message().contains("containers[0].ports"));
  }

  @Test
  void tolerationsMayOnlyBeAdded() {
    ObjectNode old =
        created(
            strategy,
            "{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'c','image':'i'}],"
                + "'tolerations':[{'key':'a','operator':'Exists'}]}}");
    ObjectNode added = old.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) added.at("/spec/tolerations"))
        .addObject()
        .put("key", "b")
        .put("operator", "Exists");
    assertTrue(strategy.validateUpdate(added, old).isEmpty());
    ObjectNode removed = old.deepCopy();
    ((ObjectNode) removed.get("spec")).putArray("tolerations");
    assertEquals(1, strategy.validateUpdate(removed, old).size());
  }

  @Test
  void updateKeepsTheStoredStatus() {
    ObjectNode old = created(strategy, NGINX);
    ((ObjectNode) old.get("status")).put("phase", "Running");
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.get("status")).put("phase", "Failed");
    strategy.prepareForUpdate(update, old);
    assertEquals("Running", update.at("/status/phase").asText());
  }
}
