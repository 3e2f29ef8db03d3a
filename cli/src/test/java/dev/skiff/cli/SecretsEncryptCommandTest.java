package dev.skiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.encryption.EncryptionConfiguration;
import dev.skiff.cli.testing.SkiffRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff secrets-encrypt status|rotate} on a data dir's encryption configuration. */
class SecretsEncryptCommandTest {
  @TempDir Path dataDir;

  @Test
  void withoutEncryptionStatusSaysSoAndRotateRefuses() {
    SkiffRun status = SkiffRun.of("secrets-encrypt", "status", "--data-dir", dataDir.toString());
    assertEquals(0, status.exit());
    assertTrue(status.out().startsWith("Encryption Status: Disabled"), status.out());
    SkiffRun rotate = SkiffRun.of("secrets-encrypt", "rotate", "--data-dir", dataDir.toString());
    assertEquals(1, rotate.exit());
    assertTrue(
        rotate.err().contains("secrets encryption is not enabled in " + dataDir), rotate.err());
  }

  @Test
  void rotateMakesANewPrimaryKeyAndKeepsTheOldOnesToRead() throws Exception {
    Path file = dataDir.resolve(EncryptionConfiguration.FILE);
    EncryptionConfiguration.generate().write(file);
    EncryptionConfiguration before = EncryptionConfiguration.read(file);

    SkiffRun rotate = SkiffRun.of("secrets-encrypt", "rotate", "--data-dir", dataDir.toString());
    assertEquals(0, rotate.exit(), rotate.err());
    EncryptionConfiguration after = EncryptionConfiguration.read(file);
    assertEquals("aesgcm/key-2", after.primary());
    var keys = after.providers().getFirst().keys();
    assertEquals(2, keys.size());
    assertEquals("key-1", keys.get(1).name());
    assertTrue(
        java.util.Arrays.equals(
            before.providers().getFirst().keys().getFirst().secret(), keys.get(1).secret()),
        "the old key is kept as it was");
    assertEquals("identity", after.providers().getLast().type());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    SkiffRun status = SkiffRun.of("secrets-encrypt", "status", "--data-dir", dataDir.toString());
    assertEquals(0, status.exit());
    assertTrue(status.out().contains("Current Primary Key: aesgcm/key-2"), status.out());
    assertTrue(
        status.out().matches("(?s).* \\*\\s+AES-GCM\\s+key-2\n\\s+AES-GCM\\s+key-1\n.*"),
        status.out());
  }
}
