package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Strategies.created;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStrategyTest {

  private final ServiceStrategy strategy = new ServiceStrategy();

  private static final String WEB =
      "{'metadata':{'name':'web','namespace':'d'},'spec':{'selector':{'app':'web'},"
          + "'ports':[{'port':80}]}}";

  @Test
  void defaultsAsUpstream() {
    ObjectNode svc = created(strategy, WEB);
    assertEquals("ClusterIP", svc.at("/spec/type").asText());
    assertEquals("None", svc.at("/spec/sessionAffinity").asText());
    assertEquals("TCP", svc.at("/spec/ports/0/protocol").asText());
    assertEquals(80, svc.at("/spec/ports/0/targetPort").asInt());
    assertEquals("Cluster", svc.at("/spec/internalTrafficPolicy").asText());
    assertEquals("SingleStack", svc.at("/spec/ipFamilyPolicy").asText());
    assertEquals(List.of(), strategy.validate(svc));
  }

  @Test
  void nameMustBeADns1035Label() {
    ObjectNode svc = created(strategy, WEB.replace("'name':'web'", "'name':'1web'"));
    assertTrue(
        messages(strategy.validate(svc))
            .getFirst()
            .startsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist"));
  }

  @Test
  void multiplePortsNeedUniqueNames() {
    ObjectNode svc =
        created(
            strategy,
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'ports':["
                + "{'name':'http','port':80},{'port':81},{'name':'http','port':82}]}}");
    assertEquals(
        List.of(
            "spec.ports[1].name: Required value", "spec.ports[2].name: Duplicate value: \"http\""),
        messages(strategy.validate(svc)));
  }

  @Test
  void aPortMayNotBeServedTwiceWithOneProtocol() {
    ObjectNode svc =
        created(
            strategy,
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'ports':["
                + "{'name':'a','port':80},{'name':'b','port':80},{'name':'c','port':80,'protocol':'UDP'}]}}");
    assertEquals(
        List.of(
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\","
                + " AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0,"
                + " IntVal:0, StrVal:\"\"}, NodePort:0}"),
        messages(strategy.validate(svc)));
  }

  @Test
  void clusterIpIsImmutableButAReplaceMayOmitIt() {
    ObjectNode old = created(strategy, WEB);
    ((ObjectNode) old.get("spec"))
        .put("clusterIP", "10.43.0.10")
        .putArray("clusterIPs")
        .add("10.43.0.10");
    ObjectNode replace = created(strategy, WEB);
    strategy.applyDefaults(replace);
    strategy.prepareForUpdate(replace, old);
    assertEquals("10.43.0.10", replace.at("/spec/clusterIP").asText());
    assertEquals(List.of(), strategy.validateUpdate(replace, old));
    ObjectNode changed = created(strategy, WEB);
    ((ObjectNode) changed.get("spec")).put("clusterIP", "None");
    strategy.prepareForUpdate(changed, old);
    assertEquals(
        List.of("spec.clusterIPs[0]: Invalid value: []string{\"None\"}: may not change once set"),
        messages(strategy.validateUpdate(changed, old)));
  }

  @Test
  void printsLikeKubectl() {
    ObjectNode svc = created(strategy, WEB);
    ((ObjectNode) svc.get("spec"))
        .put("clusterIP", "10.43.0.10")
        .putArray("clusterIPs")
        .add("10.43.0.10");
    assertEquals(
        List.of("web", "ClusterIP", "10.43.0.10", "<none>", "80/TCP"),
        strategy.tableCells(svc).subList(0, 5));
    assertEquals("app=web", strategy.tableCells(svc).get(6));
    ObjectNode np =
        created(
            strategy,
            "{'metadata':{'name':'np','namespace':'d'},'spec':{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}}");
    assertEquals(
        List.of("NodePort", "<none>", "<none>", "80:30080/TCP"),
        strategy.tableCells(np).subList(1, 5));
    ObjectNode lb =
        created(
            strategy,
            "{'metadata':{'name':'lb','namespace':'d'},'spec':{'type':'LoadBalancer','ports':[{'port':443}]}}");
    assertEquals("<pending>", strategy.tableCells(lb).get(3));
  }

  @Test
  void changingTypeToClusterIpDropsWhatOnlyExternalTypesMayHave() {
    ObjectNode old =
        created(
            strategy,
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'type':'LoadBalancer',"
                + "'selector':{'app':'web'},'ports':[{'port':80,'nodePort':30080}]}}");
    old.withObject("spec").put("clusterIP", "10.43.0.20").putArray("clusterIPs").add("10.43.0.20");
    ObjectNode patched = old.deepCopy();
    patched.withObject("spec").put("type", "ClusterIP");
    strategy.prepareForUpdate(patched, old);
    strategy.applyDefaults(patched);
    assertEquals(List.of(), strategy.validate(patched));
    assertTrue(patched.at("/spec/ports/0/nodePort").isMissingNode());
    assertTrue(patched.at("/spec/externalTrafficPolicy").isMissingNode());
    assertTrue(patched.at("/spec/allocateLoadBalancerNodePorts").isMissingNode());
    assertEquals("10.43.0.20", patched.at("/spec/clusterIP").asText());

    ObjectNode insisting = old.deepCopy();
    insisting.withObject("spec").put("type", "ClusterIP");
    ((ObjectNode) insisting.at("/spec/ports/0")).put("nodePort", 30081);
    strategy.prepareForUpdate(insisting, old);
    assertEquals(
        List.of("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        messages(strategy.validate(insisting)));
  }

  @Test
  void healthCheckNodePortFollowsLocalLoadBalancersAndNeverChanges() {
    ObjectNode old =
        created(
            strategy,
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'type':'LoadBalancer',"
                + "'externalTrafficPolicy':'Local','healthCheckNodePort':31000,"
                + "'ports':[{'port':80,'nodePort':30080}]}}");
    assertEquals(List.of(), strategy.validate(old));

    ObjectNode omitted = old.deepCopy();
    omitted.withObject("spec").remove("healthCheckNodePort");
    strategy.prepareForUpdate(omitted, old);
    assertEquals(31000, omitted.at("/spec/healthCheckNodePort").asInt());

    ObjectNode changed = old.deepCopy();
    changed.withObject("spec").put("healthCheckNodePort", 31001);
    strategy.prepareForUpdate(changed, old);
    assertEquals(
        List.of("spec.healthCheckNodePort: Forbidden: field is immutable"),
        messages(strategy.validateUpdate(changed, old)));

    ObjectNode cluster = old.deepCopy();
    cluster.withObject("spec").put("externalTrafficPolicy", "Cluster");
    strategy.prepareForUpdate(cluster, old);
    assertTrue(cluster.at("/spec/healthCheckNodePort").isMissingNode());
    assertEquals(List.of(), strategy.validateUpdate(cluster, old));

    ObjectNode nodePort =
        created(
            strategy,
            "{'metadata':{'name':'np','namespace':'d'},'spec':{'type':'NodePort',"
                + "'healthCheckNodePort':31002,'ports':[{'port':80}]}}");
    assertEquals(
        List.of(
            "spec.healthCheckNodePort: Invalid value: 31002: may only be set when `type` is"
                + " 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
        messages(strategy.validate(nodePort)));
  }
}
