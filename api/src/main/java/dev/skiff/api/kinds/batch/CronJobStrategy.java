package dev.skiff.api.kinds.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.cron.CronSchedule;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.kinds.core.PodTemplates;
import dev.skiff.api.validation.IntOrPercent;
import dev.skiff.api.validation.NameValidation;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** CronJobs: batch/v1 defaults, a schedule that must parse, and kubectl's columns. */
public final class CronJobStrategy extends DefaultStrategy {

  /** Job names get an 11-character suffix, so a CronJob's name is limited to 52. */
  private static final int MAX_NAME = 52;

  private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Schedule", "string", "The schedule in Cron format."),
          TableColumn.of("Timezone", "string", "The time zone name for the given schedule."),
          TableColumn.of(
              "Suspend",
              "boolean",
              "This flag tells the controller to suspend subsequent executions."),
          TableColumn.of("Active", "integer", "A list of pointers to currently running jobs."),
          TableColumn.of(
              "Last Schedule",
              "string",
              "Information when was the last time the job was successfully scheduled."),
          TableColumn.AGE,
          PodTemplates.CONTAINERS,
          PodTemplates.IMAGES,
          TableColumn.wide(
              "Selector", "string", "A label query over pods that should match the pod count."));

  public CronJobStrategy() {
    super(
        true,
        (name, prefix) -> {
          List<String> errs =
              new ArrayList<>(NameValidation.DNS1123_SUBDOMAIN_NAME.check(name, prefix));
          if (!prefix && name.length() > MAX_NAME) {
            errs.add(NameValidation.maxLenError(MAX_NAME));
          }
          return errs;
        },
        true);
  }

  @Override
  public void applyDefaults(ObjectNode cj) {
    ObjectNode spec = cj.withObject("spec");
    if (!spec.hasNonNull("concurrencyPolicy")) {
      spec.put("concurrencyPolicy", "Allow");
    }
    if (!spec.hasNonNull("suspend")) {
      spec.put("suspend", false);
    }
    if (!spec.hasNonNull("successfulJobsHistoryLimit")) {
      spec.put("successfulJobsHistoryLimit", 3);
    }
    if (!spec.hasNonNull("failedJobsHistoryLimit")) {
      spec.put("failedJobsHistoryLimit", 1);
    }
    ObjectNode jobTemplate = spec.withObject("jobTemplate");
    if (!jobTemplate.withObject("metadata").has("creationTimestamp")) {
      jobTemplate.withObject("metadata").putNull("creationTimestamp");
    }
    PodTemplates.applyDefaults(jobTemplate.withObject("spec").withObject("template"));
  }

  @Override
  public void prepareForCreate(ObjectNode cj) {
    initialStatus(cj);
  }

  @Override
  public void prepareForUpdate(ObjectNode cj, ObjectNode old) {
    keepStatus(cj, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode cj) {
    JsonNode spec = cj.path("spec");
    List<FieldError> errs = new ArrayList<>();
    String schedule = spec.path("schedule").asText("");
    if (schedule.isEmpty()) {
      errs.add(FieldError.required("spec.schedule", ""));
    } else {
      try {
        CronSchedule.parse(schedule);
      } catch (IllegalArgumentException e) {
        errs.add(FieldError.invalid("spec.schedule", schedule, e.getMessage()));
      }
    }
    if (spec.hasNonNull("timeZone")) {
      String tz = spec.path("timeZone").asText("");
      if (tz.isEmpty()) {
        errs.add(
            FieldError.invalid("spec.timeZone", tz, "timeZone must be nil or non-empty string"));
      } else if (tz.equalsIgnoreCase("Local")) {
        errs.add(
            FieldError.invalid(
                "spec.timeZone",
                tz,
                "timeZone must be an explicit time zone as defined in"
                    + " https://www.iana.org/time-zones"));
      } else if (!validTimeZone(tz)) {
        errs.add(FieldError.invalid("spec.timeZone", tz, "unknown time zone " + tz));
      }
    }
    String policy = spec.path("concurrencyPolicy").asText("");
    if (!CONCURRENCY.contains(policy)) {
      errs.add(FieldError.notSupported("spec.concurrencyPolicy", policy, CONCURRENCY));
    }
    errs.addAll(
        IntOrPercent.nonNegative(
            spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds"));
    errs.addAll(
        IntOrPercent.nonNegative(
            spec.get("successfulJobsHistoryLimit"), "spec.successfulJobsHistoryLimit"));
    errs.addAll(
        IntOrPercent.nonNegative(
            spec.get("failedJobsHistoryLimit"), "spec.failedJobsHistoryLimit"));
    errs.addAll(
        JobStrategy.validateJobSpec(
            spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec"));
    return errs;
  }

  /** A name of the IANA time zone database, which upstream loads time zones from. */
  private static boolean validTimeZone(String tz) {
    return ZoneId.getAvailableZoneIds().contains(tz) || tz.equals("UTC");
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode cj) {
    JsonNode spec = cj.path("spec");
    JsonNode status = cj.path("status");
    String last = status.path("lastScheduleTime").asText("");
    JsonNode suspend = spec.path("suspend");
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    return List.of(
        Printing.name(cj),
        spec.path("schedule").asText(""),
        Printing.orNone(spec.path("timeZone")),
        suspend.isBoolean() ? (suspend.asBoolean() ? "True" : "False") : "<unset>",
        (long) status.path("active").size(),
        last.isEmpty() ? Printing.NONE : Printing.since(last),
        Printing.age(cj),
        PodTemplates.containerNames(jobSpec.path("template")),
        PodTemplates.images(jobSpec.path("template")),
        Printing.labelSelector(jobSpec.path("selector")));
  }
}
