package dev.skiff.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigDefaultsTest {
  @TempDir Path tmp;

  @Command(name = "t")
  static class Target {
    @Option(names = "--config")
    Path config;

    @Option(names = "--data-dir")
    String dataDir = "/builtin";

    @Option(names = "--https-listen-port")
    int port = 6443;

    @Option(names = "--tls-san", split = ",")
    java.util.List<String> sans;
  }

  private Target parse(Map<String, String> env, String... args) {
    var target = new Target();
    var cmd = new CommandLine(target);
    cmd.setDefaultValueProvider(ConfigDefaults.fromArgs(args, env));
    cmd.parseArgs(args);
    return target;
  }

  @Test
  void flagBeatsEnvironmentWhichBeatsFile() throws IOException {
    Path file = tmp.resolve("c.yaml");
    Files.writeString(file, "data-dir: /from-file\nhttps-listen-port: 7000\n");
    String cfg = "--config=" + file;

    assertEquals("/from-file", parse(Map.of(), cfg).dataDir);
    assertEquals(7000, parse(Map.of(), cfg).port);
    assertEquals("/from-env", parse(Map.of("SKIFF_DATA_DIR", "/from-env"), cfg).dataDir);
    assertEquals(
        "/from-flag",
        parse(Map.of("SKIFF_DATA_DIR", "/from-env"), cfg, "--data-dir", "/from-flag").dataDir);
  }

  @Test
  void builtInDefaultWhenNothingIsSet() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.yaml"));
    assertEquals("/builtin", parse(Map.of("SKIFF_CONFIG", empty.toString())).dataDir);
  }

  @Test
  void yamlListsBecomeRepeatedValues() throws IOException {
    Path file = tmp.resolve("c.yaml");
    Files.writeString(file, "tls-san: [a.example, 10.0.0.9]\n");
    assertEquals(
        java.util.List.of("a.example", "10.0.0.9"),
        parse(Map.of(), "--config", file.toString()).sans);
  }

  @Test
  void missingExplicitFileIsOneSentence() {
    var e =
        assertThrows(
            UserError.class,
            () -> ConfigDefaults.fromArgs(new String[] {"--config", "/nope.yaml"}, Map.of()));
    assertTrue(e.getMessage().contains("/nope.yaml"), e.getMessage());
  }

  @Test
  void malformedFileIsReportedWithItsName() throws IOException {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, "a: [unclosed\n");
    var e = assertThrows(UserError.class, () -> ConfigDefaults.readFile(file));
    assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
  }
}
