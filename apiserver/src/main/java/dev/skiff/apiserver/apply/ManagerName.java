package dev.skiff.apiserver.apply;

import dev.skiff.api.FieldError;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;

/**
 * The field manager a write is recorded under: the {@code fieldManager} parameter, else the
 * client's User-Agent up to its first slash ({@code kubectl/v1.32.0 (linux/amd64)} is {@code
 * kubectl}), as upstream.
 */
public final class ManagerName {
  private static final int MAX_LENGTH = 128;

  private ManagerName() {}

  /**
   * The manager of this request, validated as upstream validates {@code fieldManager}.
   *
   * @param options the options kind named in errors: Create, Update or Patch
   */
  public static String of(Exchange ex, String options) {
    String given = ex.query("fieldManager");
    if (!given.isEmpty()) {
      validate(given, options);
      return given;
    }
    String agent = ex.header("User-Agent");
    int slash = agent.indexOf('/');
    String prefix = slash < 0 ? agent : agent.substring(0, slash);
    return prefix.length() > MAX_LENGTH ? prefix.substring(0, MAX_LENGTH) : prefix;
  }

  static void validate(String manager, String options) {
    if (manager.length() > MAX_LENGTH) {
      throw ApiException.invalidOptions(
          options,
          new FieldError(
              FieldError.Type.TOO_LONG,
              "fieldManager",
              null,
              "may not be more than " + MAX_LENGTH + " bytes"));
    }
    if (manager.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalidOptions(
          options,
          FieldError.invalid("fieldManager", manager, "must only contain printable characters"));
    }
  }
}
