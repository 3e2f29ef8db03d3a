package dev.skiff.cli.host;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
  @TempDir Path tmp;

  @Test
  void secondLockOnTheSameDirectoryFailsWithOneSentence() throws Exception {
    try (DataDir first = DataDir.lock(tmp)) {
      // A second JVM would fail the OS lock; within one JVM the channel lock overlaps.
      var e = assertThrows(UserError.class, () -> DataDir.lock(first.path()));
      assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }
    DataDir.lock(tmp).close();
  }
}
