package dev.skiff.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedNamespaceLookupTest {
  private final Map<String, ObjectNode> cache = new HashMap<>();
  private final Map<String, ObjectNode> store = new HashMap<>();
  private final AtomicLong now = new AtomicLong();
  private int storeReads;
  private final CachedNamespaceLookup lookup =
      new CachedNamespaceLookup(
          name -> Optional.ofNullable(cache.get(name)),
          name -> {
            storeReads++;
            return Optional.ofNullable(store.get(name));
          },
          now::get);

  private static ObjectNode namespace(String phase) {
    ObjectNode ns = Json.MAPPER.createObjectNode();
    ns.putObject("status").put("phase", phase);
    return ns;
  }

  @Test
  void aCachedNamespaceCostsNoStoreRead() {
    cache.put("a", namespace("Active"));
    store.put("a", namespace("Active"));
    assertEquals("Active", phase("a"));
    assertEquals(0, storeReads);
  }

  @Test
  void aNamespaceTheCacheDoesNotShowYetIsReadFromTheStore() {
    store.put("new", namespace("Active"));
    assertEquals("Active", phase("new"));
    assertEquals(Optional.empty(), lookup.find("missing"));
    assertEquals(2, storeReads);
  }

  @Test
  void afterItsDeletionIsRequestedANamespaceIsReadFromTheStoreForAWhile() {
    cache.put("doomed", namespace("Active"));
    cache.put("other", namespace("Active"));
    store.put("doomed", namespace("Terminating"));
    lookup.deletionRequested("doomed");
    now.addAndGet(CachedNamespaceLookup.LIVE_AFTER_DELETION.toNanos() - 1);
    assertEquals("Terminating", phase("doomed"));
    assertEquals("Active", phase("other"));
    assertEquals(1, storeReads, "only the namespace being deleted is read live");
    now.addAndGet(2);
    cache.put("doomed", namespace("Terminating"));
    store.clear();
    assertEquals("Terminating", phase("doomed"), "by then the cache has seen the deletion");
  }

  private String phase(String name) {
    return lookup.find(name).map(ns -> ns.path("status").path("phase").asText()).orElse(null);
  }
}
