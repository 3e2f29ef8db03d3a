package dev.skiff.cli.host;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What {@code skiff reset} needs to know about the node that ran on a data dir, written when the
 * node starts ({@code <data-dir>/node.properties}): its pod range, to release pod addresses, and
 * the CRI runtime its pods ran in, if not Skiff's own.
 *
 * @param podCidr the node's pod range
 * @param containerRuntimeEndpoint the CRI runtime's URL; null for Skiff's runc runtime
 */
public record NodeRecord(String podCidr, String containerRuntimeEndpoint) {
  private static final String FILE = "node.properties";
  private static final String POD_CIDR = "podCIDR";
  private static final String RUNTIME = "containerRuntimeEndpoint";

  public void write(Path dataDir) throws IOException {
    Properties p = new Properties();
    if (podCidr != null) {
      p.setProperty(POD_CIDR, podCidr);
    }
    if (containerRuntimeEndpoint != null) {
      p.setProperty(RUNTIME, containerRuntimeEndpoint);
    }
    StringWriter out = new StringWriter();
    p.store(out, "the node of this data dir, for skiff reset");
    AtomicFile.write(dataDir.resolve(FILE), out.toString(), false);
  }

  /** The record in {@code dataDir}; null when no node has started there since records began. */
  public static NodeRecord read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new NodeRecord(p.getProperty(POD_CIDR), p.getProperty(RUNTIME));
  }
}
