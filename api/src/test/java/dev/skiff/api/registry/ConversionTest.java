package dev.skiff.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import org.junit.jupiter.api.Test;

class ConversionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BuiltinRegistry registry = new BuiltinRegistry();

  private ObjectNode parse(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  private ResourceType hpa(String version) {
    return registry.find("autoscaling", version, "horizontalpodautoscalers").orElseThrow();
  }

  @Test
  void hpaV1CpuTargetBecomesV2Metric() throws Exception {
    ObjectNode v1 =
        parse(
            "{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'},"
                + "'spec':{'maxReplicas':5,'targetCPUUtilizationPercentage':50,"
                + "'scaleTargetRef':{'kind':'Deployment','name':'web'}}}");
    ObjectNode v2 = registry.convert(v1, hpa("v1"), hpa("v2"));
    assertEquals("autoscaling/v2", v2.get("apiVersion").asText());
    assertEquals("Resource", v2.at("/spec/metrics/0/type").asText());
    assertEquals("cpu", v2.at("/spec/metrics/0/resource/name").asText());
    assertEquals("Utilization", v2.at("/spec/metrics/0/resource/target/type").asText());
    assertEquals(50, v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
    assertFalse(v2.path("spec").has("targetCPUUtilizationPercentage"));
    assertEquals(5, v2.at("/spec/maxReplicas").asInt());
  }

  @Test
  void hpaV2SurvivesARoundTripThroughV1() throws Exception {
    ObjectNode v2 =
        parse(
            "{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'},"
                + "'spec':{'maxReplicas':5,'metrics':["
                + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}},"
                + "{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'1Gi'}}}],"
                + "'behavior':{'scaleDown':{'stabilizationWindowSeconds':60}}},"
                + "'status':{'currentReplicas':2,'desiredReplicas':2,'currentMetrics':["
                + "{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':33}}}],"
                + "'conditions':[{'type':'AbleToScale','status':'True'}]}}");
    ObjectNode v1 = registry.convert(v2, hpa("v2"), hpa("v1"));
    assertEquals(70, v1.at("/spec/targetCPUUtilizationPercentage").asInt());
    assertEquals(33, v1.at("/status/currentCPUUtilizationPercentage").asInt());
    assertFalse(v1.path("spec").has("metrics"));
    assertTrue(v1.at("/metadata/annotations").has(HpaConversion.METRICS));
    ObjectNode back = registry.convert(v1, hpa("v1"), hpa("v2"));
    assertEquals(v2, back);
  }

  @Test
  void hpaV1StatusAlwaysShowsCurrentReplicas() throws Exception {
    ObjectNode v2 =
        parse(
            "{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'},"
                + "'spec':{'maxReplicas':5},'status':{'desiredReplicas':0}}");
    ObjectNode v1 = registry.convert(v2, hpa("v2"), hpa("v1"));
    assertEquals(0, v1.at("/status/currentReplicas").asInt(-1));
    assertEquals(v2, registry.convert(v1, hpa("v1"), hpa("v2")));
  }

  @Test
  void coreEventMapsToEventsV1Fields() throws Exception {
    ObjectNode core =
        parse(
            "{'apiVersion':'v1','kind':'Event','metadata':{'name':'e','namespace':'d'},"
                + "'involvedObject':{'kind':'Pod','name':'p'},'message':'pulled','reason':'Pulled',"
                + "'count':3,'source':{'component':'kubelet'},'type':'Normal'}");
    ResourceType coreType = registry.find("", "v1", "events").orElseThrow();
    ResourceType newType = registry.find("events.k8s.io", "v1", "events").orElseThrow();
    ObjectNode ev = registry.convert(core, coreType, newType);
    assertEquals("events.k8s.io/v1", ev.get("apiVersion").asText());
    assertEquals("p", ev.at("/regarding/name").asText());
    assertEquals("pulled", ev.get("note").asText());
    assertEquals(3, ev.get("deprecatedCount").asInt());
    assertEquals("kubelet", ev.at("/deprecatedSource/component").asText());
    assertEquals(core, registry.convert(ev, newType, coreType));
  }

  @Test
  void otherResourcesOnlyGetTheirApiVersionAndKindSet() throws Exception {
    ResourceType pods = registry.find("", "v1", "pods").orElseThrow();
    ObjectNode pod = parse("{'metadata':{'name':'p'},'spec':{'x-unknown':1}}");
    ObjectNode out = registry.convert(pod, pods, pods);
    assertEquals("v1", out.get("apiVersion").asText());
    assertEquals("Pod", out.get("kind").asText());
    assertEquals(1, out.at("/spec/x-unknown").asInt());
    assertFalse(pod.has("kind"), "the input is not modified");
  }
}
