package dev.skiff.api.patch.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An apply that would change fields other managers own; the message is upstream's. */
public final class ApplyConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One contested field and the manager that owns it. */
  public record Conflict(ManagedFieldsEntry owner, List<PathElement> path) {
    public String field() {
      return path.stream().map(PathElement::toString).collect(Collectors.joining());
    }
  }

  private final transient List<Conflict> conflicts;

  public ApplyConflict(List<Conflict> conflicts) {
    super(message(conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  public List<Conflict> conflicts() {
    return conflicts;
  }

  private static String message(List<Conflict> conflicts) {
    if (conflicts.size() == 1) {
      Conflict c = conflicts.get(0);
      return "Apply failed with 1 conflict: conflict with "
          + c.owner().describe()
          + ": "
          + c.field();
    }
    Map<String, List<String>> byManager = new LinkedHashMap<>();
    conflicts.stream()
        .sorted((a, b) -> a.owner().describe().compareTo(b.owner().describe()))
        .forEach(
            c ->
                byManager
                    .computeIfAbsent(c.owner().describe(), k -> new ArrayList<>())
                    .add(c.field()));
    List<String> lines = new ArrayList<>();
    byManager.forEach(
        (manager, fields) -> {
          lines.add("conflicts with " + manager + ":");
          fields.forEach(f -> lines.add("- " + f));
        });
    return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
  }
}
