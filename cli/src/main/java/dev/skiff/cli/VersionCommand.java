package dev.skiff.cli;

import picocli.CommandLine.Command;

/** {@code skiff version}. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print Skiff's version and the Kubernetes API version it serves.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    for (String line : new BuildInfo().getVersion()) {
      System.out.println(line);
    }
  }
}
