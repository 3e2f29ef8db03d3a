package dev.skiff.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One column of a server-side printed Table (meta.k8s.io/v1 TableColumnDefinition).
 *
 * @param type JSON schema type: string, integer, number, boolean, date
 * @param format e.g. {@code name} for the NAME column, {@code date-time} for ages
 * @param priority 0 is always shown; above 0 only with {@code -o wide}
 */
public record TableColumn(
    String name, String type, String format, String description, int priority) {

  public static TableColumn of(String name, String type, String description) {
    return new TableColumn(name, type, "", description, 0);
  }

  public static TableColumn wide(String name, String type, String description) {
    return new TableColumn(name, type, "", description, 1);
  }

  public static final TableColumn NAME =
      new TableColumn(
          "Name",
          "string",
          "name",
          "Name must be unique within a namespace. Is required when creating resources.",
          0);

  public static final TableColumn AGE =
      new TableColumn(
          "Age",
          "string",
          "",
          "CreationTimestamp is a timestamp representing the server time when this object was"
              + " created.",
          0);

  /** Upstream's columns for kinds without a printer of their own. */
  public static final List<TableColumn> DEFAULT =
      List.of(
          NAME,
          new TableColumn(
              "Created At",
              "date",
              "",
              "CreationTimestamp is a timestamp representing the server time when this object was"
                  + " created.",
              0));

  public static List<Object> defaultCells(ObjectNode obj) {
    var meta = obj.path("metadata");
    return List.of(meta.path("name").asText(), meta.path("creationTimestamp").asText());
  }
}
