package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The only etcd member restarts under a running watch: the watch picks up where it stopped. */
class EtcdWatchResumeTest {

  @Test
  void watchResumesAfterTheLastDeliveredRevision() {
    try (LocalEtcd etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1);
        Store store = EtcdStore.connect(EtcdConfig.plain(etcd.clientUrls()))) {
      String prefix = "/registry/resume/";
      List<Long> written = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        written.add(store.create(prefix + "old-" + i, "v".getBytes(UTF_8), 0).modRevision());
      }
      List<WatchEvent> seen = new CopyOnWriteArrayList<>();
      List<StorageException> errors = new CopyOnWriteArrayList<>();
      Store.WatchListener listener =
          new Store.WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
              seen.add(event);
            }

            @Override
            public void onError(StorageException error) {
              errors.add(error);
            }
          };
      try (Store.Watch _ = store.watch(prefix, written.getFirst() - 1, listener)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 20);

        etcd.restart(0);
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptionsInstanceOf(StorageException.class)
            .until(
                () ->
                    written.add(
                        store.create(prefix + "new-0", "v".getBytes(UTF_8), 0).modRevision()));
        for (int i = 1; i < 20; i++) {
          written.add(store.create(prefix + "new-" + i, "v".getBytes(UTF_8), 0).modRevision());
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= written.size());
        assertEquals(written, seen.stream().map(WatchEvent::revision).toList());
        assertTrue(errors.isEmpty(), () -> "watch failed: " + errors);
      }
    }
  }
}
