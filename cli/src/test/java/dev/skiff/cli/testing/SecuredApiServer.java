package dev.skiff.cli.testing;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.auth.AuthOptions;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The API server as a Skiff server runs it: HTTPS on a free loopback port with a certificate of the
 * data dir's cluster PKI, that PKI's client CA and access control, over SQLite in the dir.
 */
public final class SecuredApiServer implements AutoCloseable {
  public final ClusterPki pki;
  private final Store store;
  private final ApiServer api;

  public SecuredApiServer(Path dataDir) throws Exception {
    pki = ClusterPki.loadOrCreate(dataDir);
    ClusterPki.Leaf serving =
        pki.serving(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    store = SqliteStore.open(dataDir.resolve("state.db"));
    api =
        new ApiServer(
            new ApiServerConfig(
                    "127.0.0.1",
                    0,
                    pki.keyStore(serving),
                    ClusterPki.keyStorePassword(),
                    pki.clientCaTrustStore())
                .withAuth(AuthOptions.forDataDir(dataDir)),
            store,
            new BuiltinRegistry());
    api.start();
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String url() {
    return "https://127.0.0.1:" + api.port();
  }

  @Override
  public void close() {
    api.close();
    store.close();
  }
}
