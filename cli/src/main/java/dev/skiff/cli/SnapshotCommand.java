package dev.skiff.cli;

import dev.skiff.cli.host.DataDir;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code skiff snapshot save|restore}: backups of the cluster's store. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "Save the cluster's store to a file, or restore it from one. Saving works while the server"
          + " runs; restoring needs the server stopped. Scheduled snapshots: see"
          + " `skiff server --help` (--snapshot-schedule).",
      "",
      "Embedded store: the snapshot is a copy of the SQLite file state.db, restored as a whole.",
      "etcd (--datastore-endpoint etcd://...): the snapshot is Skiff's keyspace dump, every key of"
          + " the etcd cluster as of one revision with each key's remaining TTL (format: the"
          + " bytes SKIFFKV1, the revision, then per key its key, value and TTL, and a CRC-32"
          + " trailer). Restoring replaces every key of the etcd cluster through the client API;"
          + " etcd stays up, every Skiff server using it must be stopped. Restored objects get"
          + " new resource versions. etcd's own `etcdctl snapshot` files are not accepted."
    },
    subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class})
final class SnapshotCommand extends CommandGroup {
  @Command(
      name = "save",
      mixinStandardHelpOptions = true,
      description =
          "Write a consistent copy of the store to FILE, online (a SQLite file for the embedded"
              + " store, a keyspace dump for etcd).")
  static final class Save implements Runnable {
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "FILE", description = "Where to write the snapshot.")
    Path file;

    @Override
    public void run() {
      Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".partial");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        Stores.saveSnapshot(
            store.datastoreEndpoint,
            store.dataDir,
            store.datastoreCaFile,
            store.datastoreCertFile,
            store.datastoreKeyFile,
            out);
      } catch (IOException | StorageException e) {
        deleteQuietly(tmp);
        throw new UserError("snapshot failed: " + e.getMessage(), e);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Snapshot saved to " + file + " (" + Files.size(file) + " bytes)");
      } catch (IOException e) {
        throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description =
          "Replace the store's contents with a snapshot. Stop the server(s) first; start them"
              + " again afterwards. On etcd this replaces every key in the etcd cluster.")
  static final class Restore implements Runnable {
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "FILE", description = "A snapshot written by `skiff snapshot save`.")
    Path file;

    @Override
    public void run() {
      if (!Files.isRegularFile(file)) {
        throw new UserError("no snapshot at " + file);
      }
      // Holding the data dir's lock proves no server is using the store while it is replaced.
      try (DataDir held = DataDir.lock(store.dataDir)) {
        long revision =
            Stores.restoreSnapshot(
                store.datastoreEndpoint,
                held.path(),
                store.datastoreCaFile,
                store.datastoreCertFile,
                store.datastoreKeyFile,
                file);
        String into =
            store.datastoreEndpoint.isBlank() ? store.dataDir.toString() : store.datastoreEndpoint;
        System.out.println("Restored " + file + " into " + into + " at revision " + revision);
      } catch (StorageException | IllegalArgumentException e) {
        throw new UserError("restore failed: " + e.getMessage(), e);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: a leftover .partial file names itself.
    }
  }
}
