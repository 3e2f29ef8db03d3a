package dev.skiff.apiserver.endpoints;

import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.FieldSelector;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.api.selection.SelectableFields;
import dev.skiff.api.selection.SelectorParseException;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.watch.WatchFilter;

/** metav1.ListOptions of a list or watch request, validated as upstream does. */
public record ListOptions(
    LabelSelector labels,
    FieldSelector fields,
    long limit,
    String continueToken,
    String resourceVersion,
    String resourceVersionMatch,
    boolean allowWatchBookmarks,
    boolean sendInitialEvents,
    long timeoutSeconds) {

  public static ListOptions parse(Exchange ex, ResourceType t, String name) {
    LabelSelector labels;
    FieldSelector fields;
    try {
      labels = LabelSelector.parse(ex.query("labelSelector"));
      String fs = ex.query("fieldSelector");
      if (!name.isEmpty()) {
        String term = "metadata.name=" + name;
        fs = fs.isEmpty() ? term : fs + "," + term;
      }
      fields = FieldSelector.parse(fs);
      SelectableFields.check(fields, t.group(), t.kind());
    } catch (SelectorParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    long limit = number(ex, "limit");
    long timeout = number(ex, "timeoutSeconds");
    String cont = ex.query("continue");
    String rv = ex.query("resourceVersion");
    String match = ex.query("resourceVersionMatch");
    if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
      throw ApiException.badRequest(
          "resourceVersionMatch: Unsupported value: \""
              + match
              + "\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
    }
    boolean initial = "true".equals(ex.query("sendInitialEvents"));
    if (!match.isEmpty() && rv.isEmpty() && !initial) {
      throw ApiException.badRequest(
          "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless"
              + " resourceVersion is provided");
    }
    if (!cont.isEmpty() && !rv.isEmpty() && !rv.equals("0")) {
      throw ApiException.badRequest(
          "resourceVersion: Forbidden: specifying resource version is not allowed when using"
              + " continue");
    }
    if (match.equals("Exact") && rv.equals("0")) {
      throw ApiException.badRequest(
          "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for"
              + " resourceVersion \"0\"");
    }
    if (!rv.isEmpty()) {
      parseRevision(rv);
    }
    return new ListOptions(
        labels,
        fields,
        limit,
        cont,
        rv,
        match,
        "true".equals(ex.query("allowWatchBookmarks")),
        initial,
        timeout);
  }

  public WatchFilter filter(ResourceType t, String namespace) {
    return new WatchFilter(namespace, labels, fields, t.group(), t.kind());
  }

  public static long parseRevision(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + rv);
    }
  }

  private static long number(Exchange ex, String name) {
    String v = ex.query(name);
    if (v.isEmpty()) {
      return 0;
    }
    try {
      long n = Long.parseLong(v);
      return Math.max(n, 0);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": Invalid value: \"" + v + "\": must be an integer");
    }
  }
}
