package dev.skiff.api.patch;

import static dev.skiff.api.patch.Json.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {

  @Test
  void mergesMapsRecursivelyAndNullDeletes() {
    JsonNode target =
        parse("{'metadata':{'name':'a','labels':{'app':'web','tier':'fe'}},'spec':{'replicas':1}}");
    JsonNode patch =
        parse("{'metadata':{'labels':{'tier':null,'env':'prod'}},'spec':{'replicas':3}}");

    JsonNode result = JsonMergePatch.apply(target, patch);

    assertEquals(
        parse(
            "{'metadata':{'name':'a','labels':{'app':'web','env':'prod'}},'spec':{'replicas':3}}"),
        result);
  }

  @Test
  void replacesListsWholesale() {
    JsonNode result =
        JsonMergePatch.apply(
            parse("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}"),
            parse("{'spec':{'containers':[{'name':'c'}]}}"));

    assertEquals(parse("{'spec':{'containers':[{'name':'c'}]}}"), result);
  }

  @Test
  void rfc7386ExamplesHold() {
    assertEquals(parse("{'a':'z'}"), JsonMergePatch.apply(parse("{'a':'b'}"), parse("{'a':'z'}")));
    assertEquals(
        parse("{'b':'c'}"), JsonMergePatch.apply(parse("{'a':'b','b':'c'}"), parse("{'a':null}")));
    assertEquals(
        parse("{'a':['b']}"), JsonMergePatch.apply(parse("{'a':'c'}"), parse("{'a':['b']}")));
    assertEquals(
        parse("{'a':{'b':'c'}}"),
        JsonMergePatch.apply(parse("{'a':'foo'}"), parse("{'a':{'b':'c'}}")));
    assertEquals(parse("['c']"), JsonMergePatch.apply(parse("{'a':'b'}"), parse("['c']")));
    assertEquals(
        parse("{'a':1}"), JsonMergePatch.apply(parse("{'e':null}"), parse("{'a':1,'e':null}")));
  }

  @Test
  void neverChangesItsInputs() {
    JsonNode target = parse("{'a':{'b':1}}");
    JsonNode patch = parse("{'a':{'b':null,'c':{'d':1}}}");

    JsonMergePatch.apply(target, patch);

    assertEquals(parse("{'a':{'b':1}}"), target);
    assertEquals(parse("{'a':{'b':null,'c':{'d':1}}}"), patch);
  }
}
