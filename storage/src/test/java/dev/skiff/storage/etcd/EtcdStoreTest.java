package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreContractTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against a real single-member etcd on loopback. It fails, rather than skips,
 * when the etcd binary is missing: CI installs {@code etcd-server}.
 */
class EtcdStoreTest extends StoreContractTest {
  private static LocalEtcd etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected Store openStore() {
    return EtcdStore.connect(EtcdConfig.plain(etcd.clientUrls()));
  }

  @Test
  void periodicCompactionKeepsTheRecentRevisions() {
    store.close();
    store = EtcdStore.connect(EtcdConfig.plain(etcd.clientUrls()), Duration.ofMillis(200), 10);
    String key = prefix + "a";
    KeyValue first = store.create(key, "0".getBytes(UTF_8), 0);
    for (int i = 1; i <= 50; i++) {
      store.update(key, ("" + i).getBytes(UTF_8), 0, 0);
    }
    long last = store.currentRevision();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.compactedRevision() > first.modRevision());

    assertTrue(store.compactedRevision() <= store.currentRevision() - 10);
    assertThrows(StorageException.Compacted.class, () -> store.get(key, first.modRevision()));
    assertEquals("50", new String(store.get(key, last).orElseThrow().value(), UTF_8));
  }
}
