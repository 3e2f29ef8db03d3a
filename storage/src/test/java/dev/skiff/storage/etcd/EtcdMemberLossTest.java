package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A 3-member etcd cluster loses its leader: writes resume and a running watch misses nothing. */
class EtcdMemberLossTest {

  @Test
  void writesAndWatchesContinueWhenTheLeaderDies() throws Exception {
    try (LocalEtcd cluster = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 3);
        Store store = EtcdStore.connect(EtcdConfig.plain(cluster.clientUrls()))) {
      String prefix = "/registry/memberloss/";
      List<Long> written = new ArrayList<>();
      List<WatchEvent> seen = new CopyOnWriteArrayList<>();
      try (Store.Watch _ = store.watch(prefix, store.currentRevision(), seen::add)) {
        for (int i = 0; i < 50; i++) {
          written.add(store.create(prefix + "before-" + i, "v".getBytes(UTF_8), 0).modRevision());
        }

        cluster.kill(leader(cluster));

        // the first write waits out the election; a failed attempt may still have committed
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptionsMatching(
                e -> e instanceof StorageException && !(e instanceof StorageException.KeyExists))
            .until(() -> createOnce(store, prefix + "after-election"));
        written.add(store.get(prefix + "after-election").orElseThrow().modRevision());
        for (int i = 0; i < 50; i++) {
          written.add(store.create(prefix + "after-" + i, "v".getBytes(UTF_8), 0).modRevision());
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= written.size());
        assertEquals(written, seen.stream().map(WatchEvent::revision).toList());
        assertEquals(101, store.count(prefix));
      }
    }
  }

  private static boolean createOnce(Store store, String key) {
    try {
      store.create(key, "v".getBytes(UTF_8), 0);
    } catch (StorageException.KeyExists alreadyThere) {
      // an earlier attempt committed before its answer was lost
    }
    return true;
  }

  private static int leader(LocalEtcd cluster) throws Exception {
    List<String> urls = cluster.clientUrls();
    try (Client client = Client.builder().endpoints(urls.toArray(String[]::new)).build()) {
      for (int i = 0; i < urls.size(); i++) {
        StatusResponse status = client.getMaintenanceClient().statusMember(urls.get(i)).get();
        if (status.getLeader() == status.getHeader().getMemberId()) {
          return i;
        }
      }
    }
    throw new IllegalStateException("no member reports itself as leader");
  }
}
