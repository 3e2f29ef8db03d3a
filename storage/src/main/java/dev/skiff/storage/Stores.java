package dev.skiff.storage;

import dev.skiff.storage.etcd.EtcdConfig;
import dev.skiff.storage.etcd.EtcdStore;
import dev.skiff.storage.snapshot.KeyspaceDump;
import dev.skiff.storage.sqlite.SqliteSnapshot;
import dev.skiff.storage.sqlite.SqliteStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Opens the store a {@code --datastore-endpoint} names: none means the embedded SQLite file {@code
 * <data-dir>/state.db}; {@code etcd://h1:2379,h2:2379} (or a comma list of http/https URLs) means
 * an etcd cluster.
 */
public final class Stores {
  /** The SQLite file inside the data dir. */
  public static final String SQLITE_FILE = "state.db";

  private Stores() {}

  public static Store open(String endpoint, Path dataDir) {
    return open(endpoint, dataDir, null, null, null);
  }

  /**
   * @param caFile {@code --datastore-cafile}, or null
   * @param certFile {@code --datastore-certfile}, or null
   * @param keyFile {@code --datastore-keyfile}, or null
   * @throws IllegalArgumentException for an endpoint that names no known backend
   */
  public static Store open(
      String endpoint, Path dataDir, Path caFile, Path certFile, Path keyFile) {
    if (endpoint == null || endpoint.isBlank()) {
      return SqliteStore.open(dataDir.resolve(SQLITE_FILE));
    }
    return EtcdStore.connect(new EtcdConfig(etcdEndpoints(endpoint), caFile, certFile, keyFile));
  }

  /**
   * Writes a snapshot of the store an endpoint names, online: the embedded file is copied without
   * opening a second store on it (a running server may hold it); etcd's keys are read at one
   * revision into a {@link KeyspaceDump}.
   */
  public static void saveSnapshot(
      String endpoint, Path dataDir, Path caFile, Path certFile, Path keyFile, OutputStream out) {
    if (endpoint == null || endpoint.isBlank()) {
      SqliteSnapshot.save(dataDir.resolve(SQLITE_FILE), out);
      return;
    }
    try (EtcdStore etcd =
        EtcdStore.connect(new EtcdConfig(etcdEndpoints(endpoint), caFile, certFile, keyFile))) {
      etcd.save(out);
    }
  }

  /**
   * Puts the objects of a snapshot saved by {@link #saveSnapshot} back; every server using the
   * store must be stopped. The embedded file is replaced as a whole. On etcd every key of the
   * cluster is replaced with the snapshot's through the client API (etcd keeps running); restored
   * keys get new revisions, so clients list again.
   *
   * @return the revision the restored store continues from
   * @throws StorageException if the snapshot is damaged or of the other backend's kind (then
   *     nothing is changed), or the store cannot be written
   */
  public static long restoreSnapshot(
      String endpoint, Path dataDir, Path caFile, Path certFile, Path keyFile, Path snapshot) {
    boolean dump = KeyspaceDump.looksLikeDump(snapshot);
    if (endpoint == null || endpoint.isBlank()) {
      if (dump) {
        throw new StorageException(
            "this snapshot was saved from an etcd-backed cluster: restore it with"
                + " --datastore-endpoint etcd://...");
      }
      try (InputStream in = Files.newInputStream(snapshot)) {
        return SqliteSnapshot.restore(in, dataDir.resolve(SQLITE_FILE));
      } catch (IOException e) {
        throw new StorageException("cannot read " + snapshot + ": " + e.getMessage(), e);
      }
    }
    EtcdConfig config = new EtcdConfig(etcdEndpoints(endpoint), caFile, certFile, keyFile);
    if (!dump) {
      throw new StorageException(
          "not an etcd-backed cluster's snapshot (saved from the embedded store?): restore it"
              + " without --datastore-endpoint");
    }
    try (EtcdStore etcd = EtcdStore.connect(config)) {
      return etcd.restore(snapshot);
    }
  }

  private static List<String> etcdEndpoints(String endpoint) {
    String hosts;
    if (endpoint.startsWith("etcd://")) {
      hosts = endpoint.substring("etcd://".length());
    } else if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      hosts = endpoint;
    } else {
      throw new IllegalArgumentException(
          "unsupported datastore endpoint '"
              + endpoint
              + "': use etcd://host:port[,host:port...] or leave it empty for the embedded store");
    }
    List<String> list =
        Arrays.stream(hosts.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("datastore endpoint '" + endpoint + "' names no host");
    }
    return list;
  }
}
