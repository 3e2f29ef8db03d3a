package dev.skiff.api.patch.apply;

import static dev.skiff.api.patch.apply.FieldManagerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class ApplyMergeTest {
  private final Shape pod = Shape.root(Pod.class);

  @Test
  void liveElementsTheConfigDoesNotNameKeepTheirPlace() {
    var live = json("{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'},{'name':'c'}]}}");
    var config =
        json("{'spec':{'containers':[{'name':'c','image':'3'},{'name':'a','image':'2'}]}}");
    assertEquals(
        json(
            "{'spec':{'containers':[{'name':'c','image':'3'},{'name':'a','image':'2'},"
                + "{'name':'b'}]}}"),
        ApplyMerge.merge(live, config, pod));
  }

  @Test
  void atomicListsAndStructsAreReplacedWhole() {
    var live = json("{'spec':{'containers':[{'name':'a','args':['x','y']}]}}");
    var config = json("{'spec':{'containers':[{'name':'a','args':['z']}]}}");
    assertEquals(config, ApplyMerge.merge(live, config, pod));

    Shape deployment = Shape.root(Deployment.class);
    var liveSel = json("{'spec':{'selector':{'matchLabels':{'a':'1','b':'2'}}}}");
    var configSel = json("{'spec':{'selector':{'matchLabels':{'a':'1'}}}}");
    assertEquals(configSel, ApplyMerge.merge(liveSel, configSel, deployment));
  }

  @Test
  void selectorsUpstreamMarksAtomicAreReplacedWhole() {
    var live = json("{'spec':{'nodeSelector':{'a':'1','b':'2'}}}");
    var config = json("{'spec':{'nodeSelector':{'c':'3'}}}");
    assertEquals(config, ApplyMerge.merge(live, config, pod));
  }

  @Test
  void mapsMergeKeyByKeyAndNullClears() {
    var live = json("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'nodeName':'n'}}");
    var config = json("{'metadata':{'labels':{'c':'3'}},'spec':{'nodeName':null}}");
    assertEquals(
        json("{'metadata':{'labels':{'a':'1','b':'2','c':'3'}},'spec':{}}"),
        ApplyMerge.merge(live, config, pod));
  }

  @Test
  void unknownObjectsAreDeducedAsGranularMaps() {
    Shape custom = Shape.root(null);
    var live = json("{'spec':{'a':1,'list':[1,2]}}");
    var config = json("{'spec':{'b':2,'list':[3]}}");
    assertEquals(json("{'spec':{'a':1,'list':[3],'b':2}}"), ApplyMerge.merge(live, config, custom));
  }
}
