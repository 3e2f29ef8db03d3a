package dev.skiff.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.fake.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogReaderTest {
  @TempDir Path dir;

  static final String LOG =
      """
      2026-01-01T00:00:00.000000001Z stdout F one
      2026-01-01T00:00:01.000000000Z stderr P par
      2026-01-01T00:00:01.500000000Z stdout F two
      2026-01-01T00:00:02.000000000Z stderr F tial
      not a cri line
      2026-01-01T00:00:03.000000000Z stdout F
      2026-01-01T00:00:04.000000000Z stdout F three
      """;

  @Test
  void joinsPartialsPerStreamAndSkipsForeignLines() throws Exception {
    Path log = Files.writeString(dir.resolve("0.log"), LOG);
    var entries = ContainerLogReader.read(log, ContainerLogReader.Options.ALL);
    assertEquals(
        List.of("one", "two", "partial", "", "three"),
        entries.stream().map(LogEntry::content).toList());
    assertEquals(LogEntry.Stream.STDERR, entries.get(2).stream());
    assertEquals(Instant.parse("2026-01-01T00:00:02Z"), entries.get(2).timestamp());
  }

  @Test
  void filtersBySinceTailAndStream() throws Exception {
    Path log = Files.writeString(dir.resolve("0.log"), LOG);
    var since =
        new ContainerLogReader.Options(Instant.parse("2026-01-01T00:00:01.5Z"), -1, true, true);
    assertEquals(List.of("two", "partial", "", "three"), contents(log, since));
    assertEquals(
        List.of("", "three"), contents(log, new ContainerLogReader.Options(null, 2, true, true)));
    assertEquals(
        List.of("partial"), contents(log, new ContainerLogReader.Options(null, -1, false, true)));
    assertEquals(List.of(), contents(log, new ContainerLogReader.Options(null, 0, true, true)));
  }

  @Test
  void readsRotatedFilesFirstAndRotationKeepsTheNewest() throws Exception {
    var fake = new FakeRuntime();
    fake.pullImage(new dev.skiff.runtime.ImageSpec("busybox:1.35"), null, null);
    var pod =
        new dev.skiff.runtime.PodSandboxConfig(
            new dev.skiff.runtime.PodSandboxMetadata("p", "u", "d", 0),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    String sb = fake.runPodSandbox(pod, null);
    String c =
        fake.createContainer(
            sb, dev.skiff.runtime.ContainerConfig.of("c", "busybox:1.35", List.of("x")), pod);
    fake.startContainer(c);
    Path log = dir.resolve("0.log");
    var rotation =
        new LogRotation(fake, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    Files.writeString(
        log,
        CriLogFormat.format(Instant.parse("2026-01-01T00:00:00Z"), LogEntry.Stream.STDOUT, "a")
            + "\n");
    assertFalse(rotation.rotateIfNeeded(c, log, 1024, 3));
    assertTrue(rotation.rotateIfNeeded(c, log, 10, 3));
    Files.writeString(
        log,
        CriLogFormat.format(Instant.parse("2026-01-01T00:00:01Z"), LogEntry.Stream.STDOUT, "b")
            + "\n");
    assertEquals(List.of("a", "b"), contents(log, ContainerLogReader.Options.ALL));

    var later =
        new LogRotation(fake, Clock.fixed(Instant.parse("2026-01-01T00:01:00Z"), ZoneOffset.UTC));
    assertTrue(later.rotateIfNeeded(c, log, 10, 2));
    assertEquals(
        1, LogRotation.rotatedFiles(log).size(), "only maxFiles - 1 rotated files are kept");
    assertEquals(List.of("b"), contents(log, ContainerLogReader.Options.ALL));
    assertThrows(IllegalArgumentException.class, () -> later.rotateIfNeeded(c, log, 10, 1));
  }

  static List<String> contents(Path log, ContainerLogReader.Options o) {
    return ContainerLogReader.read(log, o).stream().map(LogEntry::content).toList();
  }
}
