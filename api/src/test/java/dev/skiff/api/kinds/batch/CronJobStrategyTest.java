package dev.skiff.api.kinds.batch;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobStrategyTest {

  private final CronJobStrategy strategy = new CronJobStrategy();

  private ObjectNode cronJob(String schedule) {
    ObjectNode cj =
        obj(
            "{'metadata':{'name':'hello','namespace':'d'},'spec':{"
                + (schedule == null ? "" : "'schedule':'" + schedule + "',")
                + "'jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'OnFailure',"
                + "'containers':[{'name':'c','image':'busybox'}]}}}}}}");
    strategy.applyDefaults(cj);
    return cj;
  }

  private List<String> messages(ObjectNode cj) {
    return strategy.validate(cj).stream().map(FieldError::toString).toList();
  }

  @Test
  void defaultsAndValidSchedule() {
    ObjectNode cj = cronJob("*/5 * * * *");
    assertEquals("Allow", cj.at("/spec/concurrencyPolicy").asText());
    assertEquals(3, cj.at("/spec/successfulJobsHistoryLimit").asInt());
    assertEquals(1, cj.at("/spec/failedJobsHistoryLimit").asInt());
    assertEquals(List.of(), messages(cj));
  }

  @Test
  void scheduleIsRequiredAndMustParse() {
    assertEquals(List.of("spec.schedule: Required value"), messages(cronJob(null)));
    assertEquals(
        List.of(
            "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: * * *"),
        messages(cronJob("* * *")));
    assertEquals(
        List.of(
            "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"),
        messages(cronJob("61 * * * *")));
  }

  @Test
  void timeZonesMustBeIanaNames() {
    ObjectNode cj = cronJob("@daily");
    ((ObjectNode) cj.get("spec")).put("timeZone", "Europe/Paris");
    assertEquals(List.of(), messages(cj));
    ((ObjectNode) cj.get("spec")).put("timeZone", "Mars/Olympus");
    assertEquals(
        List.of("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"),
        messages(cj));
    ((ObjectNode) cj.get("spec")).put("timeZone", "Local");
    assertEquals(1, messages(cj).size());
  }

  @Test
  void columnsShowScheduleAndSuspend() {
    List<Object> cells = strategy.tableCells(cronJob("@hourly"));
    assertEquals(List.of("hello", "@hourly", "<none>", "False", 0L, "<none>"), cells.subList(0, 6));
  }
}
