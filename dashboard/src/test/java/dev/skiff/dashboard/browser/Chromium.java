package dev.skiff.dashboard.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol: started on a free debugging port with a
 * throw-away profile, it prints its DevTools URL on stderr; pages are targets created through the
 * browser's own connection.
 */
public final class Chromium implements AutoCloseable {
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome");
  private static final long START_TIMEOUT_S = 120;

  private final Process process;
  private final Path profile;
  private final HttpClient http = HttpClient.newHttpClient();
  private final CdpSession browser;
  private final URI devtools;

  /**
   * The browser on this machine: $CHROMIUM when set (none if that is not a program), else the first
   * of the usual names on the PATH.
   */
  public static Optional<Path> find() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : NAMES) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  public Chromium(Path executable) throws IOException {
    profile = Files.createTempDirectory("skiff-dashboard-chromium");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "--headless",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--window-size=1280,800"));
    // Chromium's sandbox refuses to run as root, as CI does; the page is our own, on loopback.
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--no-sandbox");
    }
    cmd.add("about:blank");
    process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<URI> url = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("chromium-stderr")
        .start(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                  Matcher m = DEVTOOLS.matcher(line);
                  if (m.find()) {
                    url.complete(URI.create(m.group(1)));
                  }
                }
                url.completeExceptionally(new IOException("chromium exited before DevTools"));
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
            });
    try {
      devtools = url.get(START_TIMEOUT_S, TimeUnit.SECONDS);
      browser = new CdpSession(http, devtools);
    } catch (Exception e) {
      close();
      throw new IOException("cannot start " + executable + ": " + e.getMessage(), e);
    }
  }

  /** A new tab, 1280×800, showing about:blank. */
  public Page newPage() {
    String target =
        browser.send("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    URI page =
        URI.create(
            "ws://" + devtools.getHost() + ":" + devtools.getPort() + "/devtools/page/" + target);
    return new Page(new CdpSession(http, page));
  }

  @Override
  public void close() {
    if (browser != null) {
      try {
        browser.send("Browser.close", Map.of());
      } catch (RuntimeException e) {
        // Already going away; the process is stopped below either way.
      }
      browser.close();
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // The wrapper script may leave helpers behind; they hold the profile open.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      deleteTree(profile);
    }
  }

  /** Helpers that exit late may still be removing files; a second pass gets what remains. */
  private static void deleteTree(Path dir) {
    for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
