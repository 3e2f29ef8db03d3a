package dev.skiff.cli;

import dev.skiff.apiserver.encryption.EncryptionConfiguration;
import dev.skiff.cli.host.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff secrets-encrypt}: the keys that encrypt Secrets at rest, kept in upstream's
 * EncryptionConfiguration format in {@code <data-dir>/encryption-config.yaml}. A server started
 * with {@code --secrets-encryption} follows that file: after a rotation it rewrites every secret
 * with the new key, and keeps the old keys to read anything not yet rewritten.
 */
@Command(
    name = "secrets-encrypt",
    mixinStandardHelpOptions = true,
    description = "Show or rotate the keys that encrypt Secrets in the store.",
    subcommands = {SecretsEncryptCommand.Status.class, SecretsEncryptCommand.Rotate.class})
final class SecretsEncryptCommand extends CommandGroup {
  static final class Where {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The server's data dir (default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDir.defaultPath();

    Path file() {
      return dataDir.resolve(EncryptionConfiguration.FILE);
    }

    /** The configuration, or null when encryption was never enabled here. */
    EncryptionConfiguration read() {
      Path file = file();
      if (!Files.exists(file)) {
        return null;
      }
      try {
        return EncryptionConfiguration.read(file);
      } catch (IOException | IllegalArgumentException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Whether Secrets are encrypted, and with which keys.")
  static final class Status implements Runnable {
    @picocli.CommandLine.Mixin Where where = new Where();

    @Override
    public void run() {
      EncryptionConfiguration config = where.read();
      if (config == null) {
        System.out.println(
            "Encryption Status: Disabled (start the server with --secrets-encryption)");
        return;
      }
      System.out.println("Encryption Status: Enabled");
      System.out.println("Current Primary Key: " + config.primary());
      System.out.println("Configuration: " + where.file());
      System.out.println();
      System.out.printf("%-7s %-9s %s%n", "Active", "Key Type", "Name");
      System.out.printf("%-7s %-9s %s%n", "------", "--------", "----");
      boolean first = true;
      for (EncryptionConfiguration.Provider p : config.providers()) {
        String type =
            switch (p.type()) {
              case "aesgcm" -> "AES-GCM";
              case "aescbc" -> "AES-CBC";
              default -> "Identity";
            };
        if (p.keys().isEmpty()) {
          System.out.printf("%-7s %-9s %s%n", first ? " *" : "", type, "-");
          first = false;
        }
        for (EncryptionConfiguration.Key k : p.keys()) {
          System.out.printf("%-7s %-9s %s%n", first ? " *" : "", type, k.name());
          first = false;
        }
      }
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Make a new AES-GCM key the one that encrypts; the server rewrites every Secret with it"
              + " (at once when running, else when it starts) and keeps the old keys to read.")
  static final class Rotate implements Runnable {
    @picocli.CommandLine.Mixin Where where = new Where();

    @Override
    public void run() {
      EncryptionConfiguration config = where.read();
      if (config == null) {
        throw new UserError(
            "secrets encryption is not enabled in "
                + where.dataDir
                + ": start the server with --secrets-encryption first");
      }
      EncryptionConfiguration next = config.rotated();
      try {
        next.write(where.file());
      } catch (IOException e) {
        throw new UserError("cannot write " + where.file() + ": " + e.getMessage(), e);
      }
      System.out.println(
          "Secrets now encrypt with "
              + next.primary()
              + "; a running server rewrites every Secret with it within seconds, a stopped one"
              + " when it starts.");
    }
  }
}
