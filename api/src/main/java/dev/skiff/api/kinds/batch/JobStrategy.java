package dev.skiff.api.kinds.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.kinds.core.PodSpecValidation;
import dev.skiff.api.kinds.core.PodTemplates;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.IntOrPercent;
import dev.skiff.api.validation.LabelSelectorValidation;
import dev.skiff.api.validation.NameValidation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs: batch/v1 defaults, the generated {@code controller-uid} selector, an immutable template,
 * and kubectl's STATUS / COMPLETIONS / DURATION columns.
 */
public final class JobStrategy extends DefaultStrategy {

  public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  public static final String LEGACY_CONTROLLER_UID = "controller-uid";
  public static final String JOB_NAME = "batch.kubernetes.io/job-name";
  public static final String LEGACY_JOB_NAME = "job-name";

  private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Status", "string", "Status of the job."),
          TableColumn.of(
              "Completions",
              "string",
              "The desired number of successfully finished pods the job should be run with."),
          TableColumn.of("Duration", "string", "Time required to complete the job."),
          TableColumn.AGE,
          PodTemplates.CONTAINERS,
          PodTemplates.IMAGES,
          TableColumn.wide(
              "Selector", "string", "A label query over pods that should match the pod count."));

  public JobStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void applyDefaults(ObjectNode job) {
    ObjectNode spec = job.withObject("spec");
    JobSpecDefaults.apply(spec);
    PodTemplates.applyDefaults(spec.withObject("template"));
  }

  @Override
  public void prepareForCreate(ObjectNode job) {
    initialStatus(job);
    ObjectNode spec = job.withObject("spec");
    if (!spec.path("manualSelector").asBoolean(false)) {
      generateSelector(job);
    }
    // Upstream's defaulting copies the template's labels to a Job that has none of its own.
    JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
    if (job.path("metadata").path("labels").isEmpty() && !templateLabels.isEmpty()) {
      job.withObject("metadata").set("labels", templateLabels.deepCopy());
    }
  }

  private static void generateSelector(ObjectNode job) {
    String name = job.path("metadata").path("name").asText("");
    String uid = job.path("metadata").path("uid").asText("");
    ObjectNode labels =
        job.withObject("spec").withObject("template").withObject("metadata").withObject("labels");
    for (String key : List.of(LEGACY_JOB_NAME, JOB_NAME)) {
      if (!labels.has(key)) {
        labels.put(key, name);
      }
    }
    for (String key : List.of(LEGACY_CONTROLLER_UID, CONTROLLER_UID)) {
      if (!labels.has(key)) {
        labels.put(key, uid);
      }
    }
    ObjectNode matchLabels =
        job.withObject("spec").withObject("selector").withObject("matchLabels");
    if (!matchLabels.has(CONTROLLER_UID)) {
      matchLabels.put(CONTROLLER_UID, uid);
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode job, ObjectNode old) {
    keepStatus(job, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode job) {
    JsonNode spec = job.path("spec");
    List<FieldError> errs = new ArrayList<>();
    if (!spec.path("manualSelector").asBoolean(false)) {
      errs.addAll(generatedSelector(job));
    }
    errs.addAll(validateJobSpec(spec, "spec"));
    JsonNode selector = spec.get("selector");
    if (selector == null || selector.isNull()) {
      errs.add(FieldError.required("spec.selector", ""));
    } else {
      List<FieldError> selectorErrs = LabelSelectorValidation.validate(selector, "spec.selector");
      errs.addAll(selectorErrs);
      JsonNode labels = spec.path("template").path("metadata").path("labels");
      if (selectorErrs.isEmpty()
          && !LabelSelector.fromJson(selector).matches(spec.path("template"))) {
        errs.add(
            FieldError.invalid(
                "spec.template.metadata.labels",
                GoSyntax.stringMap(labels),
                "`selector` does not match template `labels`"));
      }
    }
    long completions = spec.path("completions").asLong(0);
    if (spec.path("completionMode").asText().equals("Indexed") && completions > 0) {
      // The pod of the last index is named <job>-<index> and must still be a DNS label.
      String hostname = Printing.name(job) + "-" + (completions - 1);
      if (!NameValidation.dns1123Label(hostname).isEmpty()) {
        errs.add(
            FieldError.invalid(
                "metadata.name",
                Printing.name(job),
                "will not able to create pod with invalid DNS label: " + hostname));
      }
    }
    return errs;
  }

  /**
   * Upstream's validateGeneratedSelector: the template carries the generated labels and the
   * selector selects exactly what they describe.
   */
  private static List<FieldError> generatedSelector(ObjectNode job) {
    List<FieldError> errs = new ArrayList<>();
    String uid = job.path("metadata").path("uid").asText("");
    String name = Printing.name(job);
    if (uid.isEmpty()) {
      errs.add(FieldError.required("metadata.uid", ""));
    }
    JsonNode labels = job.path("spec").path("template").path("metadata").path("labels");
    String[][] expected = {
      {LEGACY_CONTROLLER_UID, uid}, {LEGACY_JOB_NAME, name}, {CONTROLLER_UID, uid}, {JOB_NAME, name}
    };
    java.util.Map<String, String> expectedLabels = new java.util.TreeMap<>();
    for (String[] e : expected) {
      expectedLabels.put(e[0], e[1]);
      String path = "spec.template.metadata.labels[" + e[0] + "]";
      if (!labels.has(e[0])) {
        errs.add(FieldError.required(path, e[1]));
      } else if (!labels.path(e[0]).asText().equals(e[1])) {
        errs.add(FieldError.invalid(path, GoSyntax.stringMap(labels), e[1]));
      }
    }
    JsonNode selector = job.path("spec").path("selector");
    if (selector.isObject()
        && LabelSelectorValidation.validate(selector, "spec.selector").isEmpty()
        && !LabelSelector.fromJson(selector).matches(expectedLabels)) {
      errs.add(
          FieldError.invalid(
              "spec.selector", GoSyntax.labelSelector(selector), "`selector` not auto-generated"));
    }
    return errs;
  }

  /** The JobSpec rules, shared with a CronJob's job template at {@code path}. */
  static List<FieldError> validateJobSpec(JsonNode spec, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (String f :
        List.of(
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes")) {
      errs.addAll(IntOrPercent.nonNegative(spec.get(f), path + "." + f));
    }
    String mode = spec.path("completionMode").asText("");
    if (!mode.isEmpty() && !COMPLETION_MODES.contains(mode)) {
      errs.add(FieldError.notSupported(path + ".completionMode", mode, COMPLETION_MODES));
    }
    if (mode.equals("Indexed") && !spec.path("completions").isNumber()) {
      errs.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
    }
    String replacement = spec.path("podReplacementPolicy").asText("");
    List<String> replacements =
        spec.hasNonNull("podFailurePolicy")
            ? List.of("Failed")
            : List.of("Failed", "TerminatingOrFailed");
    if (!replacement.isEmpty() && !replacements.contains(replacement)) {
      errs.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, replacements));
    }
    errs.addAll(
        PodTemplates.validate(
            spec.path("template"), path + ".template", PodSpecValidation.RESTART_POLICIES));
    // Pod defaulting turns a missing restart policy into Always, which a Job cannot run.
    String restart = spec.path("template").path("spec").path("restartPolicy").asText("");
    if (restart.isEmpty() || restart.equals("Always")) {
      errs.add(
          FieldError.required(
              path + ".template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode job, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = job.path("spec");
    JsonNode oldSpec = old.path("spec");
    for (String f : List.of("selector", "completionMode")) {
      if (!spec.path(f).equals(oldSpec.path(f))) {
        errs.add(
            FieldError.invalid("spec." + f, immutableValue(spec.path(f)), "field is immutable"));
      }
    }
    if (!spec.path("completions").equals(oldSpec.path("completions"))
        && !spec.path("completionMode").asText().equals("Indexed")) {
      errs.add(
          FieldError.invalid(
              "spec.completions", spec.path("completions").asLong(), "field is immutable"));
    }
    if (!spec.path("template").equals(oldSpec.path("template"))) {
      errs.add(
          FieldError.invalid(
              "spec.template",
              new GoSyntax(spec.path("template").toString()),
              "field is immutable"));
    }
    return errs;
  }

  private static Object immutableValue(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    return v.isObject() ? GoSyntax.labelSelector(v) : new GoSyntax(v.toString());
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode job) {
    JsonNode spec = job.path("spec");
    JsonNode status = job.path("status");
    long succeeded = status.path("succeeded").asLong();
    String completions;
    if (spec.path("completions").isNumber()) {
      completions = succeeded + "/" + spec.path("completions").asLong();
    } else if (spec.path("parallelism").asLong() > 1) {
      completions = succeeded + "/1 of " + spec.path("parallelism").asLong();
    } else {
      completions = succeeded + "/1";
    }
    return List.of(
        Printing.name(job),
        status(job),
        completions,
        duration(status),
        Printing.age(job),
        PodTemplates.containerNames(spec.path("template")),
        PodTemplates.images(spec.path("template")),
        Printing.labelSelector(spec.path("selector")));
  }

  /** The STATUS column: the first of kubectl's conditions that holds, else Running. */
  static String status(JsonNode job) {
    JsonNode conditions = job.path("status").path("conditions");
    if (has(conditions, "Complete")) {
      return "Complete";
    } else if (has(conditions, "Failed")) {
      return "Failed";
    } else if (job.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    } else if (has(conditions, "Suspended")) {
      return "Suspended";
    } else if (has(conditions, "FailureTarget")) {
      return "FailureTarget";
    }
    return "Running";
  }

  private static boolean has(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
        return true;
      }
    }
    return false;
  }

  private static String duration(JsonNode status) {
    try {
      String start = status.path("startTime").asText("");
      if (start.isEmpty()) {
        return "";
      }
      String end = status.path("completionTime").asText("");
      Instant to = end.isEmpty() ? Instant.now() : Instant.parse(end);
      return Printing.humanDuration(Duration.between(Instant.parse(start), to));
    } catch (DateTimeParseException e) {
      return "";
    }
  }
}
