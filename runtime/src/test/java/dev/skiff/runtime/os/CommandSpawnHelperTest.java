package dev.skiff.runtime.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.runc.NativeBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs run through the spawn helper behave as when this JVM starts them itself. */
class CommandSpawnHelperTest {
  @TempDir static Path bin;
  private static Spawner helper;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = Spawner.start(NativeBinaries.install(NativeBinaries.MONITOR, bin));
  }

  @AfterAll
  static void stopHelper() throws InterruptedException {
    helper.stop();
  }

  private static Command.Result run(List<String> cmd, byte[] stdin, Map<String, String> env)
      throws Exception {
    return helper.run(cmd, Duration.ofSeconds(30), stdin, env);
  }

  @Test
  void passesStdinEnvironmentAndArgumentsAndReturnsOutputAndExitCode() throws Exception {
    Command.Result r =
        run(
            List.of(
                "sh", "-c", "cat; echo \"$SKIFF_TEST_VAR $1\"; echo oops >&2; exit 3", "x", "arg"),
            "from stdin\n".getBytes(StandardCharsets.UTF_8),
            Map.of("SKIFF_TEST_VAR", "from env"));
    assertEquals(3, r.exitCode());
    assertEquals("from stdin\nfrom env arg\n", r.out());
    assertEquals("oops", r.err());
  }

  @Test
  void inheritsThisProcesssEnvironment() throws Exception {
    Command.Result r = run(List.of("sh", "-c", "echo \"$PATH\""), null, Map.of());
    assertEquals(System.getenv("PATH") + "\n", r.out());
  }

  @Test
  void carriesLargeInputAndOutput() throws Exception {
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + i % 26);
    Command.Result r = run(List.of("cat"), big, Map.of());
    assertEquals(0, r.exitCode());
    assertArrayEquals(big, r.stdout());
  }

  @Test
  void signalledProgramReportsTheSignalAsJavaDoes() throws Exception {
    assertEquals(128 + 9, run(List.of("sh", "-c", "kill -9 $$"), null, Map.of()).exitCode());
  }

  @Test
  void missingProgramFailsWithItsName() {
    var e =
        assertThrows(
            Command.CommandException.class,
            () -> run(List.of("/nonexistent/skiff-program"), null, Map.of()));
    assertTrue(e.getMessage().contains("/nonexistent/skiff-program"), e.getMessage());
  }

  @Test
  void timeoutKillsTheProgram(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("pid");
    var e =
        assertThrows(
            Command.CommandException.class,
            () ->
                helper.run(
                    List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 600"),
                    Duration.ofSeconds(2),
                    null,
                    Map.of()));
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    var program = ProcessHandle.of(pid);
    if (program.isPresent()) program.get().onExit().get(60, TimeUnit.SECONDS);
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void helperEndsWithTheProcessThatStartedIt() throws Exception {
    Spawner other = Spawner.start(NativeBinaries.install(NativeBinaries.MONITOR, bin));
    assertEquals(
        "ok\n", other.run(List.of("echo", "ok"), Duration.ofSeconds(30), null, Map.of()).out());
    other.stop();
    assertFalse(other.alive());
    assertThrows(
        Spawner.UnavailableException.class,
        () -> other.run(List.of("echo", "ok"), Duration.ofSeconds(30), null, Map.of()));
  }
}
