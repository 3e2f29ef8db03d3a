package dev.skiff.cli;

import dev.skiff.cli.service.SystemdUnit;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff install-service server|agent [flags...]}: prints a systemd unit, installs nothing.
 */
@Command(
    name = "install-service",
    mixinStandardHelpOptions = true,
    description = {
      "Print a systemd unit that runs this skiff as `skiff server` or `skiff agent` with the"
          + " given flags, for /etc/systemd/system/skiff.service or skiff-agent.service. Nothing"
          + " is installed or started; e.g.",
      "  skiff install-service server --tls-san k8s.example > /etc/systemd/system/skiff.service",
      "  systemctl daemon-reload && systemctl enable --now skiff"
    })
final class InstallServiceCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "server|agent", description = "What the service runs.")
  String role;

  @Parameters(
      index = "1..*",
      paramLabel = "FLAG",
      description = "Flags of skiff server or skiff agent, passed through unchanged.")
  List<String> flags = new ArrayList<>();

  @Override
  public void run() {
    if (!role.equals("server") && !role.equals("agent")) {
      throw new UserError("unknown service \"" + role + "\": want server or agent");
    }
    List<String> command = new ArrayList<>(thisSkiff());
    command.add(role);
    command.addAll(flags);
    System.out.print(SystemdUnit.render(role, command));
  }

  /** The absolute command line that runs this same skiff: its Java and its jar (or classes). */
  static List<String> thisSkiff() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path code;
    try {
      code = Path.of(Skiff.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      throw new UserError("cannot tell where this skiff is installed: " + e.getMessage(), e);
    }
    if (code.toString().endsWith(".jar")) {
      return List.of(java, "-jar", code.toAbsolutePath().toString());
    }
    return List.of(java, "-cp", System.getProperty("java.class.path"), Skiff.class.getName());
  }
}
