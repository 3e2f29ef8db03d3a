package dev.skiff.storage.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteSnapshot;
import dev.skiff.storage.sqlite.SqliteStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotScheduleTest {
  @TempDir Path dir;

  @Test
  void keepsTheNewestSnapshotsAndEachRestores() throws Exception {
    Path snapshots = dir.resolve("snapshots");
    try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
      for (int i = 0; i < 5; i++) {
        store.create("/registry/s/" + i, ("v" + i).getBytes(UTF_8), 0);
        Clock clock =
            Clock.fixed(
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * i), ZoneOffset.UTC);
        SnapshotSchedule.manual(store, snapshots, 3, clock).takeSnapshot();
      }
      List<Path> kept = SnapshotSchedule.manual(store, snapshots, 3, Clock.systemUTC()).snapshots();

      assertEquals(
          List.of(
              "skiff-snapshot-20260101T040000Z.db",
              "skiff-snapshot-20260101T030000Z.db",
              "skiff-snapshot-20260101T020000Z.db"),
          kept.stream().map(p -> p.getFileName().toString()).toList());
      try (InputStream in = Files.newInputStream(kept.getLast())) {
        SqliteSnapshot.restore(in, dir.resolve("restored.db"));
      }
    }
    try (Store restored = SqliteStore.open(dir.resolve("restored.db"))) {
      assertEquals(3, restored.count("/registry/s/"));
    }
  }
}
