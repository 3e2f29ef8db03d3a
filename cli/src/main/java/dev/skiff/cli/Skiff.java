package dev.skiff.cli;

import dev.skiff.cli.agent.AgentCommand;
import dev.skiff.cli.config.ConfigDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code skiff} command: one binary for the whole cluster, as k3s is. */
@Command(
    name = "skiff",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    description = {
      "Skiff: a Kubernetes-compatible container orchestrator in one small program.",
      "",
      "Flags can also be given as SKIFF_<FLAG> environment variables (e.g. SKIFF_DATA_DIR) or as"
          + " keys of a YAML config file (/etc/skiff/config.yaml, or --config FILE); a flag beats"
          + " the environment, which beats the file."
    },
    subcommands = {
      UpCommand.class,
      ServerCommand.class,
      AgentCommand.class,
      SnapshotCommand.class,
      ImagesCommand.class,
      TokenCommand.class,
      SecretsEncryptCommand.class,
      DashboardCommand.class,
      ResetCommand.class,
      InstallServiceCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Skiff implements Runnable {

  // Read by Logging.init before parsing, since loggers must be configured before they exist.
  @Option(
      names = {"-v", "--verbose"},
      description = "Log debug detail.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; expected failures print one sentence. */
  public static int execute(String... args) {
    Logging.init(args);
    var cmd = new CommandLine(new Skiff());
    // Everything after `install-service server|agent` is that service's own flags.
    cmd.getSubcommands().get("install-service").setStopAtPositional(true);
    try {
      cmd.setDefaultValueProvider(ConfigDefaults.fromArgs(args, System.getenv()));
    } catch (UserError e) {
      cmd.getErr().println("skiff: " + e.getMessage());
      return 2;
    }
    cmd.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          if (ex instanceof UserError) {
            line.getErr().println("skiff: " + ex.getMessage());
            return 1;
          }
          throw ex;
        });
    return cmd.execute(args);
  }
}
