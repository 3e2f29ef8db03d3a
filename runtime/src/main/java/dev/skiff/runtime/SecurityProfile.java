package dev.skiff.runtime;

/** A seccomp profile choice (CRI {@code SecurityProfile}). */
public record SecurityProfile(Type type, String localhostRef) {

  /** Kinds of profile. */
  public enum Type {
    RUNTIME_DEFAULT,
    UNCONFINED,
    LOCALHOST
  }

  public static final SecurityProfile RUNTIME_DEFAULT =
      new SecurityProfile(Type.RUNTIME_DEFAULT, null);
  public static final SecurityProfile UNCONFINED = new SecurityProfile(Type.UNCONFINED, null);
}
