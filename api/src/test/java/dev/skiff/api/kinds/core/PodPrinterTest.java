package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPrinterTest {

  private final PodStrategy strategy = new PodStrategy();

  private List<Object> row(String spec, String status) {
    ObjectNode pod =
        obj(
            "{'metadata':{'name':'web','creationTimestamp':'2020-01-01T00:00:00Z'},'spec':"
                + spec
                + ",'status':"
                + status
                + "}");
    return strategy.tableCells(pod);
  }

  private static final String ONE = "{'containers':[{'name':'c','image':'i'}]}";

  @Test
  void columnsAreKubectls() {
    assertEquals(
        List.of(
            "Name",
            "Ready",
            "Status",
            "Restarts",
            "Age",
            "IP",
            "Node",
            "Nominated Node",
            "Readiness Gates"),
        strategy.tableColumns().stream().map(c -> c.name()).toList());
    assertEquals(9, row(ONE, "{}").size());
  }

  @Test
  void runningReadyPod() {
    List<Object> r =
        row(
            ONE,
            "{'phase':'Running','podIPs':[{'ip':'10.42.0.5'}],'containerStatuses':[{'name':'c','ready':true,"
                + "'restartCount':0,'state':{'running':{'startedAt':'2020-01-01T00:00:01Z'}}}]}");
    assertEquals(List.of("web", "1/1", "Running", "0"), r.subList(0, 4));
    assertEquals("10.42.0.5", r.get(5));
    assertEquals("<none>", r.get(6));
  }

  @Test
  void waitingReasonIsTheStatus() {
    assertEquals(
        "ContainerCreating",
        row(
                ONE,
                "{'phase':'Pending','containerStatuses':[{'name':'c','ready':false,'restartCount':0,"
                    + "'state':{'waiting':{'reason':'ContainerCreating'}}}]}")
            .get(2));
    List<Object> crash =
        row(
            ONE,
            "{'phase':'Running','containerStatuses':[{'name':'c','ready':false,'restartCount':4,"
                + "'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                + "'lastState':{'terminated':{'exitCode':1,'finishedAt':'2020-01-01T00:00:00Z'}}}]}");
    assertEquals("CrashLoopBackOff", crash.get(2));
    assertEquals("0/1", crash.get(1));
    assertEquals(
        true, ((String) crash.get(3)).matches("4 \\(\\d+y\\d*d? ago\\)"), crash.get(3).toString());
  }

  @Test
  void completedAndExitCodes() {
    assertEquals(
        "Completed",
        row(
                ONE,
                "{'phase':'Succeeded','containerStatuses':[{'name':'c','ready':false,'restartCount':0,"
                    + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}")
            .get(2));
    assertEquals(
        "ExitCode:3",
        row(
                ONE,
                "{'phase':'Failed','containerStatuses':[{'name':'c','restartCount':0,"
                    + "'state':{'terminated':{'exitCode':3}}}]}")
            .get(2));
  }

  @Test
  void initContainersShowProgress() {
    String spec =
        "{'initContainers':[{'name':'i','image':'i'}],'containers':[{'name':'c','image':'i'}]}";
    assertEquals(
        "Init:0/1",
        row(
                spec,
                "{'phase':'Pending','initContainerStatuses':[{'name':'i','restartCount':0,"
                    + "'state':{'running':{}}}]}")
            .get(2));
    assertEquals(
        "Init:CrashLoopBackOff",
        row(
                spec,
                "{'phase':'Pending','initContainerStatuses':[{'name':'i','restartCount':2,"
                    + "'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}")
            .get(2));
  }

  @Test
  void deletingPodIsTerminating() {
    ObjectNode pod =
        obj(
            "{'metadata':{'name':'web','deletionTimestamp':'2020-01-01T00:00:00Z'},'spec':"
                + ONE
                + ",'status':{'phase':'Running'}}");
    assertEquals("Terminating", strategy.tableCells(pod).get(2));
  }

  @Test
  void pendingPodWithoutStatusesShowsPhase() {
    List<Object> r = row(ONE, "{'phase':'Pending'}");
    assertEquals(List.of("web", "0/1", "Pending", "0"), r.subList(0, 4));
  }
}
