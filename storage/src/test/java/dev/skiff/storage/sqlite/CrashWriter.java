package dev.skiff.storage.sqlite;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link SqliteCrashTest}: writes from several threads as fast as it can and
 * prints {@code ack <key> <revision>} only after the store acknowledged the write. It never stops
 * by itself; the test kills it.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws InterruptedException {
    Path db = Path.of(args[0]);
    String round = args[1];
    boolean fsync = Boolean.parseBoolean(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    SqliteOptions defaults = SqliteOptions.defaults();
    Store store =
        SqliteStore.open(
            db,
            new SqliteOptions(
                defaults.compactInterval(), defaults.keepRevisions(), defaults.readers(), fsync));
    synchronized (out) {
      out.println("open " + store.currentRevision());
      out.flush();
    }
    Thread[] writers = new Thread[8];
    for (int w = 0; w < writers.length; w++) {
      int writer = w;
      writers[w] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = 0; ; i++) {
                      String key = "/registry/crash/" + round + "-" + writer + "-" + i;
                      KeyValue kv = store.create(key, key.getBytes(StandardCharsets.UTF_8), 0);
                      synchronized (out) {
                        out.println("ack " + key + " " + kv.modRevision());
                        out.flush();
                      }
                    }
                  });
    }
    for (Thread t : writers) {
      t.join();
    }
  }
}
