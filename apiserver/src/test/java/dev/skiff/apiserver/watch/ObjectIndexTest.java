package dev.skiff.apiserver.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.skiff.storage.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ObjectIndexTest {
  private static final String PREFIX = "/registry/configmaps/";
  // "a" is a prefix of "a-b" and "ab": their keys sort "a-b/", "a/", "ab/", not as the names do.
  private static final List<String> NAMESPACES = List.of("a", "a-b", "ab", "b", "kube-system");

  private static CachedObject object(String key, long revision) {
    return new CachedObject(PREFIX, new KeyValue(key, new byte[0], 1, revision, 0));
  }

  private static List<String> keys(ObjectIndex index, String namespace) {
    List<String> out = new ArrayList<>();
    index.forEachInOrder(namespace, o -> out.add(o.key()));
    return out;
  }

  @Test
  void listsEveryNamespaceInKeyOrder() {
    ObjectIndex index = new ObjectIndex(PREFIX);
    for (String key : List.of("b/x", "a/z", "a-b/y", "ab/w", "a/c")) {
      index.put(object(PREFIX + key, 1));
    }

    assertEquals(
        List.of(PREFIX + "a-b/y", PREFIX + "a/c", PREFIX + "a/z", PREFIX + "ab/w", PREFIX + "b/x"),
        keys(index, ""));
    assertEquals(List.of(PREFIX + "a/c", PREFIX + "a/z"), keys(index, "a"));
    assertEquals(List.of(), keys(index, "c"));
  }

  @Test
  void aReplacedObjectKeepsItsPlaceAndADeletedOneLeaves() {
    ObjectIndex index = new ObjectIndex(PREFIX);
    CachedObject first = object(PREFIX + "a/one", 1);
    index.put(first);
    index.put(object(PREFIX + "a/two", 2));
    CachedObject replacement = object(PREFIX + "a/one", 3);

    assertSame(first, index.put(replacement));
    assertSame(replacement, index.get(PREFIX + "a/one"));
    assertSame(replacement, index.remove(PREFIX + "a/one"));
    assertNull(index.get(PREFIX + "a/one"));
    assertNull(index.remove(PREFIX + "a/one"));
    assertEquals(List.of(PREFIX + "a/two"), keys(index, "a"));
  }

  @Test
  void clusterScopedKeysHaveNoNamespace() {
    ObjectIndex index = new ObjectIndex("/registry/namespaces/");
    index.put(new CachedObject("/registry/namespaces/", kv("/registry/namespaces/default")));
    index.put(new CachedObject("/registry/namespaces/", kv("/registry/namespaces/apps")));

    assertEquals(
        List.of("/registry/namespaces/apps", "/registry/namespaces/default"), keys(index, ""));
  }

  private static KeyValue kv(String key) {
    return new KeyValue(key, new byte[0], 1, 1, 0);
  }

  /** Random creates, replacements, deletes and re-creates, checked against a sorted map. */
  @Test
  void agreesWithASortedMapThroughChurn() {
    Random random = new Random(7);
    ObjectIndex index = new ObjectIndex(PREFIX);
    TreeMap<String, CachedObject> expected = new TreeMap<>();
    for (int step = 0; step < 20_000; step++) {
      String ns = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
      String key = PREFIX + ns + "/o-" + random.nextInt(1500);
      if (random.nextInt(3) == 0) {
        assertSame(expected.remove(key), index.remove(key));
      } else {
        CachedObject o = object(key, step);
        assertSame(expected.put(key, o), index.put(o));
      }
      if (step % 2_500 == 0) {
        assertEquals(new ArrayList<>(expected.keySet()), keys(index, ""));
      }
    }
    assertEquals(new ArrayList<>(expected.keySet()), keys(index, ""));
    for (String ns : NAMESPACES) {
      String from = PREFIX + ns + "/";
      assertEquals(
          new ArrayList<>(expected.subMap(from, from + Character.MAX_VALUE).keySet()),
          keys(index, ns));
    }
    for (String key : new ArrayList<>(expected.keySet())) {
      assertSame(expected.get(key), index.get(key));
      index.remove(key);
    }
    assertEquals(List.of(), keys(index, ""));
  }
}
