package dev.skiff.api.kinds.networking;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressStrategyTest {

  private final IngressStrategy strategy = new IngressStrategy();

  @Test
  void rowShowsClassHostsAndPorts() {
    ObjectNode ing =
        obj(
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'ingressClassName':'nginx','tls':[{'hosts':['a.example.com']}],"
                + "'rules':[{'host':'a.example.com','http':{'paths':[{'path':'/','pathType':'Prefix',"
                + "'backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}");
    strategy.prepareForCreate(ing);
    assertEquals(List.of(), strategy.validate(ing));
    assertEquals(
        List.of("web", "nginx", "a.example.com", "", "80, 443"),
        strategy.tableCells(ing).subList(0, 5));
  }

  @Test
  void pathsNeedATypeAndAnAbsolutePath() {
    ObjectNode ing =
        obj(
            "{'metadata':{'name':'web','namespace':'d'},'spec':{'rules':[{'http':{'paths':[{'path':'api','pathType':'Prefix',"
                + "'backend':{'service':{'name':'web','port':{'number':80}}}},{'path':'/','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}");
    assertEquals(
        List.of(
            "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path",
            "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified"),
        strategy.validate(ing).stream().map(FieldError::toString).toList());
  }
}
