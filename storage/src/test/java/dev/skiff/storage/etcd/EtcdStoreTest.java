package dev.skiff.storage.etcd;

import dev.skiff.storage.Store;
import dev.skiff.storage.StoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
