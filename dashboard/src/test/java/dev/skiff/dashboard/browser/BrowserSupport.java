package dev.skiff.dashboard.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Finds Chromium for the browser tests: skipped without it on a workstation, required in CI. */
public final class BrowserSupport {
  private BrowserSupport() {}

  public static Path chromiumOrSkip() {
    Optional<Path> found = Chromium.find();
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        "the dashboard browser tests need Chromium (Debian: apt-get install chromium, or set"
            + " CHROMIUM to the browser's path)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + "; CI=true requires them");
    }
    Assumptions.abort(message + "; skipped");
    throw new AssertionError("unreachable");
  }
}
