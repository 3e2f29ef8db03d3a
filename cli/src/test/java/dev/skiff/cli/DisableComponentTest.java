package dev.skiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --disable} as k3s takes it, on {@code up} and {@code server}. */
class DisableComponentTest {
  @TempDir Path tmp;

  private static ServerOptions server(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command.options;
  }

  @Test
  void servicelbIsAcceptedInEveryFormAndRepeatable() {
    assertEquals(Set.of(), server().disabledComponents());
    assertEquals(Set.of("servicelb"), server("--disable", "servicelb").disabledComponents());
    assertEquals(
        Set.of("servicelb"),
        server("--disable=servicelb", "--disable", "servicelb").disabledComponents());
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs("--disable=servicelb");
    assertEquals(Set.of("servicelb"), up.options.disabledComponents());
  }

  @Test
  void anUnknownComponentIsRefusedBeforeAnythingIsTouched() {
    Path dataDir = tmp.resolve("data");
    ServerOptions options =
        server("--disable", "servicelb,traefik", "--data-dir", dataDir.toString());
    UserError e = assertThrows(UserError.class, () -> ServerCommand.start(options, "127.0.0.1"));
    assertEquals(
        "--disable \"traefik\": unknown component; the one that can be disabled is servicelb",
        e.getMessage());
    assertFalse(Files.exists(dataDir));
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs("--disable", "traefik", "--data-dir", dataDir.toString());
    assertThrows(UserError.class, up::run);
    assertFalse(Files.exists(dataDir));
  }

  @Test
  void helpDocumentsIt() {
    for (Object command : new Object[] {new UpCommand(), new ServerCommand()}) {
      String help = new CommandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertTrue(help.contains("--disable=COMPONENT"), help);
      assertTrue(help.contains("servicelb"), help);
    }
  }
}
