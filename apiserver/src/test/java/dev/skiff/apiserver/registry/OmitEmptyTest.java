package dev.skiff.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class OmitEmptyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void emptyOptionalMapsAndListsAreDroppedAsGoOmitsThem() throws Exception {
    ObjectNode cm = json("{'metadata':{'name':'a','labels':{},'annotations':{}},'data':{}}");
    OmitEmpty.apply(cm, ConfigMap.class);
    assertEquals(json("{'metadata':{'name':'a'}}"), cm);
  }

  @Test
  void nestedEmptiesGoButEmptyStructsStay() throws Exception {
    ObjectNode pod =
        json(
            "{'spec':{'nodeSelector':{},'securityContext':{},'containers':[{'name':'c',"
                + "'env':[],'resources':{}}]}}");
    OmitEmpty.apply(pod, Pod.class);
    assertEquals(
        json("{'spec':{'securityContext':{},'containers':[{'name':'c','resources':{}}]}}"), pod);
  }

  @Test
  void requiredListsAndCustomResourcesKeepWhatWasSent() throws Exception {
    ObjectNode pod = json("{'spec':{'containers':[]}}");
    OmitEmpty.apply(pod, Pod.class);
    assertEquals(json("{'spec':{'containers':[]}}"), pod);
    ObjectNode custom = json("{'metadata':{'labels':{}},'spec':{'items':[]}}");
    OmitEmpty.apply(custom, GenericKubernetesResource.class);
    assertEquals(json("{'metadata':{'labels':{}},'spec':{'items':[]}}"), custom);
  }
}
