package dev.skiff.cli.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.UserError;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers on one datastore share one CA through data sealed with the server token. */
class ServerBootstrapTest {
  @TempDir Path tmp;
  private Store store;

  @BeforeEach
  void open() {
    store = SqliteStore.open(tmp.resolve("shared.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void firstServerFiles(Path dataDir) throws IOException {
    ClusterPki.loadOrCreate(dataDir);
    Files.writeString(dataDir.resolve("tls/service.key"), "service key");
  }

  @Test
  void laterServerWithTheTokenGetsTheFirstServersCaAndKeys() throws IOException {
    Path first = tmp.resolve("first");
    ServerBootstrap.sync(store, first, null, () -> firstServerFiles(first));
    String token = Files.readString(first.resolve(ServerBootstrap.TOKEN_FILE)).trim();
    assertEquals(64, token.length(), token);

    String sealed =
        new String(store.get(ServerBootstrap.KEY).orElseThrow().value(), StandardCharsets.UTF_8);
    assertFalse(sealed.contains("PRIVATE KEY"), "the datastore holds no plaintext key");

    Path second = tmp.resolve("second");
    ServerBootstrap.sync(store, second, token, () -> ClusterPki.loadOrCreate(second));
    for (String f : new String[] {"tls/ca.crt", "tls/ca.key", "tls/service.key"}) {
      assertEquals(Files.readString(first.resolve(f)), Files.readString(second.resolve(f)), f);
    }
    assertEquals(
        ClusterPki.loadOrCreate(first).caCertificate(),
        ClusterPki.loadOrCreate(second).caCertificate());
    // Restarts need no flag: the token stays in the data dir.
    ServerBootstrap.sync(store, second, null, () -> {});
  }

  @Test
  void wrongOrMissingTokenIsRefusedAndWritesNothing() throws IOException {
    Path first = tmp.resolve("first");
    ServerBootstrap.sync(store, first, "right-token", () -> firstServerFiles(first));

    Path other = tmp.resolve("other");
    var wrong =
        assertThrows(
            UserError.class, () -> ServerBootstrap.sync(store, other, "wrong-token", () -> {}));
    assertTrue(wrong.getMessage().contains("--token does not match"), wrong.getMessage());
    var missing =
        assertThrows(UserError.class, () -> ServerBootstrap.sync(store, other, null, () -> {}));
    assertTrue(missing.getMessage().contains("pass its server token"), missing.getMessage());
    assertFalse(Files.exists(other.resolve("tls/ca.key")));
  }

  @Test
  void dataDirOfAnotherClusterIsRefused() throws IOException {
    Path first = tmp.resolve("first");
    ServerBootstrap.sync(store, first, "t", () -> firstServerFiles(first));
    Path stranger = tmp.resolve("stranger");
    ClusterPki.loadOrCreate(stranger);
    var e =
        assertThrows(UserError.class, () -> ServerBootstrap.sync(store, stranger, "t", () -> {}));
    assertTrue(e.getMessage().contains("differs from the cluster's"), e.getMessage());
  }

  @Test
  void encryptionEnabledOnALaterServerReachesServersThatJoinAfter() throws IOException {
    Path first = tmp.resolve("first");
    ServerBootstrap.sync(store, first, "t", () -> firstServerFiles(first));
    Path second = tmp.resolve("second");
    ServerBootstrap.sync(
        store,
        second,
        "t",
        () -> Files.writeString(second.resolve(ServerBootstrap.ENCRYPTION_FILE), "keys of second"));
    Path third = tmp.resolve("third");
    ServerBootstrap.sync(store, third, "t", () -> {});
    assertEquals(
        "keys of second", Files.readString(third.resolve(ServerBootstrap.ENCRYPTION_FILE)));

    // Rotated on one server since: it restarts with its own, and the others' copies stay.
    Files.writeString(third.resolve(ServerBootstrap.ENCRYPTION_FILE), "rotated on third");
    ServerBootstrap.sync(store, third, "t", () -> {});
    assertEquals(
        "rotated on third", Files.readString(third.resolve(ServerBootstrap.ENCRYPTION_FILE)));
    Path fourth = tmp.resolve("fourth");
    ServerBootstrap.sync(store, fourth, "t", () -> {});
    assertEquals(
        "keys of second", Files.readString(fourth.resolve(ServerBootstrap.ENCRYPTION_FILE)));
  }
}
