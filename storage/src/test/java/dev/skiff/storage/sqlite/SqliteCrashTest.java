package dev.skiff.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a writing process with SIGKILL at random points and checks that every write it had
 * acknowledged is still there and that revisions continue upward without reuse.
 */
class SqliteCrashTest {
  private static final int ROUNDS = 5;

  @TempDir Path dir;

  /** Both durability settings keep what was acknowledged when only the process dies. */
  @ParameterizedTest(name = "fsync each commit: {0}")
  @ValueSource(booleans = {true, false})
  void acknowledgedWritesSurviveKillDashNine(boolean fsync) throws Exception {
    Path db = dir.resolve("state.db");
    Random random = new Random();
    long lastRevision = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killAfter = 200 + random.nextInt(3000);
      Map<String, Long> acked = new HashMap<>();
      long opened = runAndKill(db, "r" + round, fsync, killAfter, acked);

      assertTrue(
          opened >= lastRevision,
          "round " + round + " opened at revision " + opened + " below " + lastRevision);
      assertTrue(acked.size() >= killAfter, "child acknowledged only " + acked.size() + " writes");
      try (Store store = SqliteStore.open(db)) {
        long maxAcked = 0;
        for (Map.Entry<String, Long> ack : acked.entrySet()) {
          KeyValue kv = store.get(ack.getKey()).orElse(null);
          assertTrue(kv != null, "acknowledged write lost: " + ack.getKey());
          assertEquals(ack.getValue(), kv.modRevision());
          assertArrayEquals(ack.getKey().getBytes(StandardCharsets.UTF_8), kv.value());
          assertTrue(ack.getValue() > lastRevision, "revision reused: " + ack);
          maxAcked = Math.max(maxAcked, ack.getValue());
        }
        assertTrue(store.currentRevision() >= maxAcked);
        lastRevision = store.currentRevision();
      }
    }
  }

  /**
   * Starts the writer, kills it after {@code killAfter} acknowledgements, returns its start
   * revision.
   */
  private static long runAndKill(
      Path db, String round, boolean fsync, int killAfter, Map<String, Long> acked)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                db.toString(),
                round,
                Boolean.toString(fsync))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long opened = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        String[] parts = line.split(" ");
        if (parts[0].equals("open")) {
          opened = Long.parseLong(parts[1]);
        } else if (parts[0].equals("ack") && parts.length == 3) {
          acked.put(parts[1], Long.parseLong(parts[2]));
          if (acked.size() == killAfter) {
            // through the handle: Process.destroyForcibly would also close the pipe we still read
            child.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(137, child.exitValue(), "the writer must die by SIGKILL");
    return opened;
  }
}
