package dev.skiff.cli;

import dev.skiff.cli.host.DataDir;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.StoredImage;
import dev.skiff.runtime.runc.RuncNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff images}: the node's image store, usable while the node runs. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the images on this node: import archives (docker save or OCI), list, remove."
          + " Works while the node runs; pods see imported images at once."
    },
    subcommands = {ImagesCommand.Import.class, ImagesCommand.Ls.class, ImagesCommand.Rm.class})
final class ImagesCommand extends CommandGroup {
  /** Options every images subcommand takes. */
  static final class Store {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The node's data dir (default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDir.defaultPath();

    ImageStore open() {
      return RuncNode.imageStore(dataDir);
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import image archives written by `docker save` or in OCI layout.")
  static final class Import implements Runnable {
    @picocli.CommandLine.Mixin Store store;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Archives to import.")
    List<Path> archives;

    @Override
    public void run() {
      ImageStore images = store.open();
      for (Path archive : archives) {
        if (!Files.isRegularFile(archive)) {
          throw new UserError("no image archive at " + archive);
        }
        try {
          for (StoredImage img : images.importArchive(archive)) {
            System.out.println(
                "imported "
                    + (img.repoTags().isEmpty()
                        ? shortId(img)
                        : String.join(", ", img.repoTags())));
          }
        } catch (ContainerRuntimeException | IllegalArgumentException e) {
          throw new UserError("cannot import " + archive + ": " + e.getMessage(), e);
        }
      }
    }
  }

  @Command(
      name = "ls",
      aliases = "list",
      mixinStandardHelpOptions = true,
      description = "List the images on this node.")
  static final class Ls implements Runnable {
    @picocli.CommandLine.Mixin Store store;

    @Override
    public void run() {
      String format = "%-40s %-12s %-15s %s%n";
      System.out.printf(format, "IMAGE", "TAG", "IMAGE ID", "SIZE");
      for (StoredImage img : store.open().list()) {
        List<String> tags = img.repoTags().isEmpty() ? List.of("<none>:<none>") : img.repoTags();
        for (String tag : tags) {
          int colon = tag.lastIndexOf(':');
          System.out.printf(
              format,
              tag.substring(0, colon),
              tag.substring(colon + 1),
              shortId(img),
              humanSize(img.size()));
        }
      }
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Remove images by name or id; layers no other image uses are deleted.")
  static final class Rm implements Runnable {
    @picocli.CommandLine.Mixin Store store;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Names or ids.")
    List<String> refs;

    @Override
    public void run() {
      ImageStore images = store.open();
      for (String ref : refs) {
        if (!images.remove(ref)) {
          throw new UserError("no such image: " + ref);
        }
        System.out.println("deleted " + ref);
      }
    }
  }

  private static String shortId(StoredImage img) {
    String hex = img.id().substring(img.id().indexOf(':') + 1);
    return hex.substring(0, Math.min(13, hex.length()));
  }

  static String humanSize(long bytes) {
    if (bytes < 1000) {
      return bytes + "B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
  }
}
