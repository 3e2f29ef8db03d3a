package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceQuotaStrategyTest {

  private final ResourceQuotaStrategy strategy = new ResourceQuotaStrategy();

  @Test
  void requestAndLimitColumnsShowUsedOverHard() {
    List<Object> cells =
        strategy.tableCells(
            obj(
                "{'metadata':{'name':'q','namespace':'d'},'status':{"
                    + "'hard':{'pods':'10','requests.cpu':'1','limits.memory':'2Gi'},"
                    + "'used':{'pods':'1','requests.cpu':'500m'}}}"));
    assertEquals("pods: 1/10, requests.cpu: 500m/1", cells.get(2));
    assertEquals("limits.memory: 0/2Gi", cells.get(3));
  }

  @Test
  void hardLimitsMustBeQuantities() {
    assertEquals(
        "spec.hard[pods]: Invalid value: \"ten\": quantities must match the regular expression"
            + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        strategy
            .validate(
                obj("{'metadata':{'name':'q','namespace':'d'},'spec':{'hard':{'pods':'ten'}}}"))
            .getFirst()
            .toString());
  }
}
