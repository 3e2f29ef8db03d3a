package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.TableColumn;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Server-side printing: meta.k8s.io/v1 Table with the kind's columns and cells, and
 * PartialObjectMetadata(List), as kubectl requests them.
 */
public final class TableConverter {
  private TableConverter() {}

  /**
   * A Table of {@code objects}.
   *
   * @param includeObject Object, Metadata (default) or None: what each row's object holds
   * @param toStrategyShape converts a served object to the shape the strategy reads
   * @param withColumns false for watch events after the first, as upstream
   */
  public static ObjectNode table(
      ResourceStrategy strategy,
      List<ObjectNode> objects,
      String includeObject,
      UnaryOperator<ObjectNode> toStrategyShape,
      boolean withColumns) {
    String include = includeObject.isEmpty() ? "Metadata" : includeObject;
    if (!List.of("Object", "Metadata", "None").contains(include)) {
      throw ApiException.badRequest(
          "includeObject: Unsupported value: \""
              + include
              + "\": supported values: \"None\","
              + " \"Metadata\", \"Object\"");
    }
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata");
    ArrayNode cols = t.putArray("columnDefinitions");
    List<TableColumn> columns = strategy.tableColumns();
    if (withColumns) {
      for (TableColumn c : columns) {
        ObjectNode cn = cols.addObject();
        cn.put("name", c.name());
        cn.put("type", c.type());
        cn.put("format", c.format());
        cn.put("description", c.description());
        cn.put("priority", c.priority());
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode obj : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : strategy.tableCells(toStrategyShape.apply(obj))) {
        cells.add(Json.MAPPER.<com.fasterxml.jackson.databind.JsonNode>valueToTree(cell));
      }
      switch (include) {
        case "Object" -> row.set("object", obj);
        case "Metadata" -> row.set("object", partial(obj));
        default -> {}
      }
    }
    return t;
  }

  public static ObjectNode partial(ObjectNode obj) {
    ObjectNode p = Json.object();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", "meta.k8s.io/v1");
    p.set("metadata", obj.path("metadata").deepCopy());
    return p;
  }

  public static ObjectNode partialList(List<ObjectNode> objects, ObjectNode listMeta) {
    ObjectNode l = Json.object();
    l.put("kind", "PartialObjectMetadataList");
    l.put("apiVersion", "meta.k8s.io/v1");
    l.set("metadata", listMeta);
    ArrayNode items = l.putArray("items");
    objects.forEach(o -> items.add(partial(o)));
    return l;
  }
}
