package dev.skiff.runtime.oci;

import java.util.List;

/** Numeric identity a container process runs as. */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids) {
  public ResolvedUser {
    additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
  }

  public static final ResolvedUser ROOT = new ResolvedUser(0, 0, null);
}
