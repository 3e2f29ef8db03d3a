package dev.skiff.api.patch;

import static dev.skiff.api.patch.Json.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  private static final JsonNode DEPLOYMENT =
      parse(
          "{'metadata':{'name':'web','labels':{'app':'web'}},"
              + "'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'a','image':'nginx'}]}}}}");

  @Test
  void addReplaceRemove() {
    JsonNode result =
        JsonPatch.apply(
            DEPLOYMENT,
            parse(
                "[{'op':'add','path':'/metadata/labels/tier','value':'fe'},"
                    + "{'op':'replace','path':'/spec/replicas','value':5},"
                    + "{'op':'remove','path':'/metadata/labels/app'}]"));

    assertEquals(parse("{'tier':'fe'}"), result.at("/metadata/labels"));
    assertEquals(5, result.at("/spec/replicas").asInt());
  }

  @Test
  void addsToArraysByIndexAndAppendsWithDash() {
    JsonNode result =
        JsonPatch.apply(
            parse("{'a':[1,3]}"),
            parse("[{'op':'add','path':'/a/1','value':2},{'op':'add','path':'/a/-','value':4}]"));

    assertEquals(parse("{'a':[1,2,3,4]}"), result);
  }

  @Test
  void moveCopyAndEscapedPointers() {
    JsonNode result =
        JsonPatch.apply(
            parse("{'metadata':{'annotations':{'a/b':'x','c~d':'y'}}}"),
            parse(
                "[{'op':'copy','from':'/metadata/annotations/a~1b','path':'/metadata/annotations/copy'},"
                    + "{'op':'move','from':'/metadata/annotations/c~0d','path':'/moved'}]"));

    assertEquals(parse("{'metadata':{'annotations':{'a/b':'x','copy':'x'}},'moved':'y'}"), result);
  }

  @Test
  void passingTestLetsLaterOperationsApply() {
    JsonNode result =
        JsonPatch.apply(
            DEPLOYMENT,
            parse(
                "[{'op':'test','path':'/spec/replicas','value':2.0},"
                    + "{'op':'replace','path':'/spec/replicas','value':3}]"));

    assertEquals(3, result.at("/spec/replicas").asInt());
  }

  @Test
  void failingTestSaysWhichPathFailed() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                JsonPatch.apply(
                    DEPLOYMENT, parse("[{'op':'test','path':'/spec/replicas','value':7}]")));

    assertEquals("testing value /spec/replicas failed: test failed", e.getMessage());
    assertEquals(422, e.code());
  }

  @Test
  void missingPathsAreNamed() {
    PatchException remove =
        assertThrows(
            PatchException.class,
            () ->
                JsonPatch.apply(
                    DEPLOYMENT, parse("[{'op':'remove','path':'/metadata/labels/nope'}]")));
    PatchException replace =
        assertThrows(
            PatchException.class,
            () ->
                JsonPatch.apply(
                    DEPLOYMENT, parse("[{'op':'replace','path':'/spec/x','value':1}]")));
    PatchException add =
        assertThrows(
            PatchException.class,
            () -> JsonPatch.apply(DEPLOYMENT, parse("[{'op':'add','path':'/a/b/c','value':1}]")));

    assertEquals(
        "remove operation does not apply: doc is missing path: \"/metadata/labels/nope\": missing value",
        remove.getMessage());
    assertEquals(
        "replace operation does not apply: doc is missing key: /spec/x: missing value",
        replace.getMessage());
    assertEquals(
        "add operation does not apply: doc is missing path: \"/a/b/c\": missing value",
        add.getMessage());
  }

  @Test
  void malformedPatchIsBadRequest() {
    PatchException notArray =
        assertThrows(
            PatchException.class, () -> JsonPatch.apply(DEPLOYMENT, parse("{'op':'add'}")));
    PatchException badOp =
        assertThrows(
            PatchException.class,
            () -> JsonPatch.apply(DEPLOYMENT, parse("[{'op':'frob','path':'/a'}]")));

    assertEquals(400, notArray.code());
    assertEquals(400, badOp.code());
    assertEquals("Unexpected kind: frob", badOp.getMessage());
  }

  @Test
  void tooManyOperationsAreRefused() {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      ops.append(i == 0 ? "" : ",").append("{'op':'test','path':'/a','value':1}");
    }
    PatchException e =
        assertThrows(
            PatchException.class,
            () -> JsonPatch.apply(parse("{'a':1}"), parse(ops.append("]").toString())));

    assertEquals(413, e.code());
    assertEquals(
        "The allowed maximum operations in a JSON patch is 10000, got 10001", e.getMessage());
  }

  @Test
  void copiesCannotGrowAnObjectWithoutBound() {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      ops.append(i == 0 ? "" : ",").append("{'op':'copy','from':'/a','path':'/a/x" + i + "'}");
    }
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                JsonPatch.apply(
                    parse("{'a':{'v':'0123456789'}}"), parse(ops.append("]").toString())));

    assertEquals(422, e.code());
    assertTrue(e.getMessage().startsWith("Unable to complete the copy"), e.getMessage());
  }

  @Test
  void outOfRangeIndexIsRejected() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                JsonPatch.apply(
                    parse("{'a':[1]}"), parse("[{'op':'add','path':'/a/5','value':2}]")));

    assertEquals("Unable to access invalid index: 5: invalid index referenced", e.getMessage());
  }

  @Test
  void failedPatchLeavesTheTargetUntouched() {
    JsonNode target = parse("{'a':1}");

    assertThrows(
        PatchException.class,
        () ->
            JsonPatch.apply(
                target,
                parse(
                    "[{'op':'replace','path':'/a','value':2},{'op':'test','path':'/a','value':1}]")));

    assertEquals(parse("{'a':1}"), target);
  }
}
