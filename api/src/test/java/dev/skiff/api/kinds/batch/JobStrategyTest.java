package dev.skiff.api.kinds.batch;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobStrategyTest {

  private final JobStrategy strategy = new JobStrategy();

  private ObjectNode created(String restartPolicy) {
    ObjectNode job =
        obj(
            "{'metadata':{'name':'pi','namespace':'d','uid':'u-1'},'spec':{'template':{'spec':{"
                + (restartPolicy == null ? "" : "'restartPolicy':'" + restartPolicy + "',")
                + "'containers':[{'name':'pi','image':'perl'}]}}}}");
    strategy.applyDefaults(job);
    strategy.prepareForCreate(job);
    return job;
  }

  @Test
  void defaultsAndGeneratedSelector() {
    ObjectNode job = created("Never");
    assertEquals(1, job.at("/spec/completions").asInt());
    assertEquals(1, job.at("/spec/parallelism").asInt());
    assertEquals(6, job.at("/spec/backoffLimit").asInt());
    assertEquals("NonIndexed", job.at("/spec/completionMode").asText());
    assertEquals(
        "u-1", job.at("/spec/selector/matchLabels").get(JobStrategy.CONTROLLER_UID).asText());
    assertEquals("pi", job.at("/spec/template/metadata/labels").get(JobStrategy.JOB_NAME).asText());
    assertEquals("u-1", job.at("/spec/template/metadata/labels/controller-uid").asText());
    assertEquals("pi", job.at("/metadata/labels/job-name").asText());
    assertEquals(List.of(), strategy.validate(job));
  }

  @Test
  void templateWithoutRestartPolicyIsRejectedAsUpstream() {
    assertEquals(
        List.of(
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\","
                + " \"Never\""),
        strategy.validate(created(null)).stream().map(FieldError::toString).toList());
  }

  @Test
  void userSelectorWithoutManualSelectorIsRejected() {
    ObjectNode job =
        obj(
            "{'metadata':{'name':'pi','namespace':'d','uid':'u-1'},'spec':{'selector':{'matchLabels':{'a':'b'}},"
                + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'restartPolicy':'Never','containers':[{'name':'pi','image':'perl'}]}}}}");
    strategy.applyDefaults(job);
    strategy.prepareForCreate(job);
    assertTrue(
        strategy.validate(job).stream()
            .anyMatch(e -> e.detail().equals("`selector` not auto-generated")));
  }

  @Test
  void generatedLabelsMayNotBeOverridden() {
    ObjectNode job = created("Never");
    ((ObjectNode) job.at("/spec/template/metadata/labels")).put(JobStrategy.JOB_NAME, "other");
    assertEquals(
        List.of(
            "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Invalid value:"
                + " map[string]string{\"batch.kubernetes.io/controller-uid\":\"u-1\","
                + " \"batch.kubernetes.io/job-name\":\"other\", \"controller-uid\":\"u-1\","
                + " \"job-name\":\"pi\"}: pi"),
        strategy.validate(job).stream().map(FieldError::toString).toList());
  }

  @Test
  void indexedJobNamesMustLeaveRoomForTheIndex() {
    ObjectNode job = created("Never");
    ((ObjectNode) job.get("metadata")).put("name", "a".repeat(62));
    ((ObjectNode) job.get("spec")).put("completionMode", "Indexed").put("completions", 10);
    assertTrue(
        strategy.validate(job).stream()
            .anyMatch(
                e -> e.detail().startsWith("will not able to create pod with invalid DNS label")));
  }

  @Test
  void templateIsImmutable() {
    ObjectNode old = created("Never");
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.at("/spec/template/spec/containers/0")).put("image", "perl:2");
    List<FieldError> errs = strategy.validateUpdate(update, old);
    assertEquals(1, errs.size());
    assertEquals("spec.template", errs.getFirst().field());
    assertEquals("field is immutable", errs.getFirst().detail());
  }

  @Test
  void printsStatusCompletionsDuration() {
    ObjectNode job = created("Never");
    job.putObject("status")
        .put("succeeded", 1)
        .put("startTime", "2024-01-01T00:00:00Z")
        .put("completionTime", "2024-01-01T00:00:07Z")
        .putArray("conditions")
        .addObject()
        .put("type", "Complete")
        .put("status", "True");
    assertEquals(List.of("pi", "Complete", "1/1", "7s"), strategy.tableCells(job).subList(0, 4));
    ObjectNode running = created("Never");
    assertEquals(List.of("pi", "Running", "0/1", ""), strategy.tableCells(running).subList(0, 4));
  }
}
