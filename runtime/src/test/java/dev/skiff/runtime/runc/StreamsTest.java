package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.StreamSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exec (with and without a TTY), attach and port-forward against real containers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamsTest extends SharedPodTest {
  /** Blocking reads do not heed interrupts; closing the session (in finally) frees them. */
  static final Duration LIMIT = Duration.ofSeconds(30);

  String web;

  StreamsTest() {
    super("streams");
  }

  @BeforeAll
  void startWeb() {
    web =
        f.run(
            sandbox,
            pod,
            RuncFixture.container(
                "web", List.of("httpd", "-f", "-p", "8080", "-h", "/www"), null, null, null));
  }

  /** Reads until {@code want} appears (or the stream ends) and returns what was read. */
  static String readUntil(InputStream in, String want) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while (!seen.toString(StandardCharsets.UTF_8).contains(want) && (n = in.read(buf)) > 0)
      seen.write(buf, 0, n);
    return seen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void execWithoutTtyPipesStdinAndSeparatesStderr() {
    var req =
        new ExecRequest(
            web, List.of("sh", "-c", "cat; echo done >&2; exit 5"), false, true, true, true);
    try (StreamSession s = f.runtime.exec(req)) {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            s.stdin().write("through stdin\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().close();
            assertEquals(
                "through stdin\n", new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("done\n", new String(s.stderr().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(5, s.exitCode().get(20, TimeUnit.SECONDS));
          });
    }
  }

  @Test
  void execWithTtyGetsATerminalThatResizes() {
    try (StreamSession s =
        f.runtime.exec(new ExecRequest(web, List.of("sh"), true, true, true, false))) {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            s.resize(100, 40);
            s.stdin().write("tty; stty size; exit 3\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().flush();
            String out = readUntil(s.stdout(), "40 100");
            assertTrue(out.contains("/dev/pts/"), out);
            assertTrue(out.contains("40 100"), out);
            assertEquals(3, s.exitCode().get(20, TimeUnit.SECONDS));
          });
    }
  }

  @Test
  void attachReachesTheContainersStdio() {
    ContainerConfig cat =
        new ContainerConfig(
            new ContainerMetadata("cat", 0),
            new ImageSpec("busybox:1.35"),
            List.of(
                "sh", "-c", "while read line; do echo got $line; echo err $line >&2; done; exit 9"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "cat/0.log",
            true,
            true,
            false,
            null);
    String c = f.run(sandbox, pod, cat);
    try (StreamSession s = f.runtime.attach(new AttachRequest(c, true, false, true, true))) {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            s.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().flush();
            assertTrue(readUntil(s.stdout(), "got hello").contains("got hello"));
            assertTrue(readUntil(s.stderr(), "err hello").contains("err hello"));
            s.stdin().close();
            assertEquals(
                9, s.exitCode().get(20, TimeUnit.SECONDS), "closing stdin ends the read loop");
          });
    }
  }

  @Test
  void portForwardConnectsInsideThePodNetwork() {
    var pf = f.runtime.portForward(sandbox, 8080);
    try {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            pf.output().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            pf.output().flush();
            String response = new String(pf.input().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(
                response.startsWith("HTTP/1.") && response.contains("skiff acceptance image"),
                response);
          });
    } finally {
      pf.close();
    }
  }

  @Test
  void withoutStdinOnceOneAttachClientsEndOfInputLeavesStdinOpenForTheNext() {
    ContainerConfig cat =
        new ContainerConfig(
            new ContainerMetadata("reader", 0),
            new ImageSpec("busybox:1.35"),
            List.of("sh", "-c", "while read line; do echo got $line; done; echo stdin ended"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "reader/0.log",
            true,
            false,
            false,
            null);
    String c = f.run(sandbox, pod, cat);
    for (String word : List.of("first", "second")) {
      try (StreamSession s = f.runtime.attach(new AttachRequest(c, true, false, true, true))) {
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              s.stdin().write((word + "\n").getBytes(StandardCharsets.UTF_8));
              s.stdin().flush();
              String out = readUntil(s.stdout(), "got " + word);
              assertTrue(out.contains("got " + word), out);
              s.stdin().close();
            });
      }
    }
    assertEquals(ContainerState.CONTAINER_RUNNING, f.runtime.containerStatus(c).state());
  }

  @Test
  void portForwardToAPortNobodyListensOnFailsWithTheReason() {
    var pf = f.runtime.portForward(sandbox, 8081);
    try {
      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  assertTimeoutPreemptively(
                      LIMIT,
                      () -> {
                        pf.output().close();
                        pf.input().readAllBytes();
                      }));
      assertEquals("connect to port 8081 in the pod: Connection refused", e.getMessage());
    } finally {
      pf.close();
    }
  }

  @Test
  void attachToATtyContainerResizesItsTerminal() {
    ContainerConfig sh =
        new ContainerConfig(
            new ContainerMetadata("tty", 0),
            new ImageSpec("busybox:1.35"),
            List.of("sh"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "tty/0.log",
            true,
            false,
            true,
            null);
    String c = f.run(sandbox, pod, sh);
    try (StreamSession s = f.runtime.attach(new AttachRequest(c, true, true, true, false))) {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            s.resize(120, 33);
            s.stdin().write("stty size; tty; exit 4\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().flush();
            String out = readUntil(s.stdout(), "33 120");
            assertTrue(out.contains("33 120"), out);
            assertEquals(4, s.exitCode().get(20, TimeUnit.SECONDS));
          });
    }
    assertEquals(4, f.runtime.containerStatus(c).exitCode());
  }
}
