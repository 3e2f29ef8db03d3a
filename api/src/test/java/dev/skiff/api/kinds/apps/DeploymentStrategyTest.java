package dev.skiff.api.kinds.apps;

import static dev.skiff.api.kinds.Strategies.created;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.TableColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStrategyTest {

  private final DeploymentStrategy strategy = new DeploymentStrategy();

  private static final String WEB =
      "{'metadata':{'name':'web','namespace':'default'},'spec':{"
          + "'selector':{'matchLabels':{'app':'web'}},"
          + "'template':{'metadata':{'labels':{'app':'web'}},"
          + "'spec':{'containers':[{'name':'nginx','image':'nginx:1.27'}]}}}}";

  @Test
  void defaultsAsUpstream() {
    ObjectNode d = created(strategy, WEB);
    assertEquals(1, d.at("/spec/replicas").asInt());
    assertEquals("RollingUpdate", d.at("/spec/strategy/type").asText());
    assertEquals("25%", d.at("/spec/strategy/rollingUpdate/maxUnavailable").asText());
    assertEquals("25%", d.at("/spec/strategy/rollingUpdate/maxSurge").asText());
    assertEquals(10, d.at("/spec/revisionHistoryLimit").asInt());
    assertEquals(600, d.at("/spec/progressDeadlineSeconds").asInt());
    assertEquals("IfNotPresent", d.at("/spec/template/spec/containers/0/imagePullPolicy").asText());
    assertEquals("Always", d.at("/spec/template/spec/restartPolicy").asText());
    assertTrue(d.at("/spec/template/metadata/creationTimestamp").isNull());
    assertTrue(strategy.tracksGeneration());
    assertEquals(List.of(), messages(strategy.validate(d)));
  }

  @Test
  void selectorMustMatchTemplate() {
    ObjectNode d = created(strategy, WEB.replace("'app':'web'}},'spec'", "'app':'api'}},'spec'"));
    assertEquals(
        List.of(
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}:"
                + " `selector` does not match template `labels`"),
        messages(strategy.validate(d)));
  }

  @Test
  void selectorIsImmutable() {
    ObjectNode old = created(strategy, WEB);
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.at("/spec/selector/matchLabels")).put("tier", "front");
    ((ObjectNode) update.at("/spec/template/metadata/labels")).put("tier", "front");
    assertEquals(
        List.of(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\","
                + " \"tier\":\"front\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is"
                + " immutable"),
        messages(strategy.validateUpdate(update, old)));
  }

  @Test
  void templateMustRestartAlways() {
    ObjectNode d =
        created(strategy, WEB.replace("'containers'", "'restartPolicy':'Never','containers'"));
    assertEquals(
        List.of(
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values:"
                + " \"Always\""),
        messages(strategy.validate(d)));
  }

  @Test
  void zeroSurgeAndZeroUnavailableIsInvalid() {
    ObjectNode d =
        created(
            strategy,
            WEB.replace(
                "'selector'",
                "'strategy':{'rollingUpdate':{'maxSurge':0,'maxUnavailable':0}},'selector'"));
    assertEquals(
        List.of(
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0\": may not be 0 when"
                + " `maxSurge` is 0"),
        messages(strategy.validate(d)));
  }

  @Test
  void printsReadyUpToDateAvailable() {
    ObjectNode d = created(strategy, WEB);
    d.putObject("status")
        .put("readyReplicas", 1)
        .put("updatedReplicas", 1)
        .put("availableReplicas", 1);
    List<Object> cells = strategy.tableCells(d);
    assertEquals(List.of("web", "1/1", 1L, 1L), cells.subList(0, 4));
    assertEquals(List.of("nginx", "nginx:1.27", "app=web"), cells.subList(5, 8));
    assertEquals(
        List.of(
            "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"),
        strategy.tableColumns().stream().map(c -> c.name()).toList());
    assertEquals(0, strategy.tableColumns().get(4).priority());
    assertEquals(1, strategy.tableColumns().get(5).priority());
  }

  @Test
  void surgeMayExceedTheWholeButUnavailabilityMayNot() {
    ObjectNode d =
        created(
            strategy,
            WEB.replace(
                "'selector'",
                "'strategy':{'rollingUpdate':{'maxSurge':'200%','maxUnavailable':'150%'}},'selector'"));
    assertEquals(
        List.of(
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be"
                + " greater than 100%"),
        messages(strategy.validate(d)));
  }

  @Test
  void tableHasKubectlsColumnsEndingWithWideContainersImagesAndSelector() {
    ObjectNode d = created(strategy, WEB);
    d.withObject("status").put("readyReplicas", 1).put("updatedReplicas", 1);
    assertEquals(
        List.of(
            "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"),
        strategy.tableColumns().stream().map(TableColumn::name).toList());
    assertEquals(
        List.of(0, 0, 0, 0, 0, 1, 1, 1),
        strategy.tableColumns().stream().map(TableColumn::priority).toList());
    List<Object> cells = strategy.tableCells(d);
    assertEquals(List.of("web", "1/1", 1L, 0L), cells.subList(0, 4));
    assertEquals(List.of("nginx", "nginx:1.27", "app=web"), cells.subList(5, 8));
  }
}
