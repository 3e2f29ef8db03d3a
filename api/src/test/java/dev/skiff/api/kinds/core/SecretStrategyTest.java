package dev.skiff.api.kinds.core;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretStrategyTest {

  private final SecretStrategy strategy = new SecretStrategy();

  @Test
  void opaqueByDefaultAndStringDataBecomesData() {
    ObjectNode s =
        obj("{'metadata':{'name':'s','namespace':'d'},'stringData':{'password':'hunter2'}}");
    strategy.applyDefaults(s);
    assertEquals("Opaque", s.get("type").asText());
    assertEquals("aHVudGVyMg==", s.at("/data/password").asText());
    assertFalse(s.has("stringData"));
    assertEquals(List.of("s", "Opaque", 1L), strategy.tableCells(s).subList(0, 3));
  }

  @Test
  void tlsSecretsNeedCertAndKey() {
    ObjectNode s =
        obj(
            "{'metadata':{'name':'s','namespace':'d'},'type':'kubernetes.io/tls','data':{'tls.crt':'AA=='}}");
    assertEquals(
        List.of("data[tls.key]: Required value"),
        strategy.validate(s).stream().map(FieldError::toString).toList());
  }

  @Test
  void typeIsImmutable() {
    ObjectNode old = obj("{'metadata':{'name':'s','namespace':'d'},'type':'Opaque'}");
    ObjectNode update =
        obj(
            "{'metadata':{'name':'s','namespace':'d'},'type':'kubernetes.io/basic-auth','data':{'username':'YQ=='}}");
    assertEquals(
        List.of("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable"),
        strategy.validateUpdate(update, old).stream().map(FieldError::toString).toList());
  }
}
