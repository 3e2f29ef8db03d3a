package dev.skiff.runtime;

import java.util.List;

/** Capabilities added to or dropped from the runtime's default set (CRI {@code Capability}). */
public record Capabilities(List<String> add, List<String> drop) {
  public Capabilities {
    add = add == null ? List.of() : List.copyOf(add);
    drop = drop == null ? List.of() : List.copyOf(drop);
  }
}
