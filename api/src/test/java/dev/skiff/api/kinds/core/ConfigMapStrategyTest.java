package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigMapStrategyTest {

  private final ConfigMapStrategy strategy = new ConfigMapStrategy();

  @Test
  void badKeysAreRejectedWithUpstreamsMessage() {
    ObjectNode cm =
        obj("{'metadata':{'name':'c','namespace':'d'},'data':{'bad key':'x','ok.key':'y'}}");
    assertEquals(
        List.of(
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of"
                + " alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or"
                + " 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
        strategy.validate(cm).stream().map(FieldError::toString).toList());
  }

  @Test
  void immutableConfigMapsKeepTheirData() {
    ObjectNode old =
        obj("{'metadata':{'name':'c','namespace':'d'},'immutable':true,'data':{'a':'1'}}");
    ObjectNode update = old.deepCopy();
    ((ObjectNode) update.get("data")).put("a", "2");
    assertEquals(
        List.of("data: Forbidden: field is immutable when `immutable` is set"),
        strategy.validateUpdate(update, old).stream().map(FieldError::toString).toList());
  }

  @Test
  void dataColumnCountsKeys() {
    ObjectNode cm =
        obj(
            "{'metadata':{'name':'c','namespace':'d'},'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}");
    assertEquals(List.of("c", 3L), strategy.tableCells(cm).subList(0, 2));
  }
}
