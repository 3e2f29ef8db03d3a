package dev.skiff.apiserver.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A media type with parameters, e.g. {@code application/json;as=Table;v=v1;g=meta.k8s.io}. */
public record MediaType(String type, Map<String, String> params) {

  public static MediaType parse(String value) {
    String[] parts = value.split(";");
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0) {
        params.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim().replace("\"", ""));
      }
    }
    return new MediaType(parts[0].trim().toLowerCase(Locale.ROOT), params);
  }

  /** The entries of an Accept header in the client's order; empty header means JSON. */
  public static List<MediaType> parseAccept(String header) {
    List<MediaType> out = new ArrayList<>();
    if (header == null || header.isBlank()) {
      out.add(parse("application/json"));
      return out;
    }
    for (String part : header.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }

  public String param(String name) {
    return params.getOrDefault(name, "");
  }

  public boolean isJsonCompatible() {
    return type.equals("application/json") || type.equals("*/*") || type.equals("application/*");
  }

  public boolean isYaml() {
    return type.equals("application/yaml");
  }
}
