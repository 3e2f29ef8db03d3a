package dev.skiff.apiserver.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log file of {@code --audit-log-path}: one {@code audit.k8s.io/v1} Event per line, as
 * upstream's log backend in its JSON format, appended and flushed event by event so that a crash
 * loses none already answered. Readable by its owner only: it names who did what.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final Path file;
  private final Writer out;
  private boolean failed;

  private AuditLog(Path file, Writer out) {
    this.file = file;
    this.out = out;
  }

  public static AuditLog open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return new AuditLog(
          file,
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Appends one event; a failing disk is reported once and does not fail requests. */
  public synchronized void write(ObjectNode event) {
    try {
      out.write(Json.MAPPER.writeValueAsString(event));
      out.write('\n');
      out.flush();
      failed = false;
    } catch (IOException e) {
      if (!failed) {
        LOG.error("cannot write the audit log {}: {}", file, e.getMessage());
        failed = true;
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("cannot close the audit log {}: {}", file, e.getMessage());
    }
  }
}
