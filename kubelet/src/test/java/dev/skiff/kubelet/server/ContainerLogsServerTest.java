package dev.skiff.kubelet.server;

import static dev.skiff.kubelet.testing.TestPods.app;
import static dev.skiff.kubelet.testing.TestPods.sleeper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.testing.TestCluster;
import dev.skiff.runtime.logs.CriLogFormat;
import dev.skiff.runtime.logs.LogEntry;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerLogsServerTest {
  private TestCluster cluster;
  private Kubelet kubelet;
  private final HttpClient http = HttpClient.newHttpClient();
  private Path log;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster("node-a");
    kubelet = cluster.startKubelet();
    cluster.create(sleeper("talker", "node-a").build());
    Pod p = cluster.awaitPod("talker", x -> app(x).getState().getRunning() != null);
    log = cluster.containerLog(p, "app");
    Files.createDirectories(log.getParent());
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Files.writeString(
        log,
        CriLogFormat.format(t, LogEntry.Stream.STDOUT, "one")
            + "\n"
            + t.plusSeconds(1)
            + " stdout P tw\n"
            + CriLogFormat.format(t.plusSeconds(1), LogEntry.Stream.STDOUT, "o")
            + "\n"
            + CriLogFormat.format(t.plusSeconds(2), LogEntry.Stream.STDERR, "three")
            + "\n");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + kubelet.streamingPort() + pathAndQuery))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesLogsWithTailTimestampsAndLimit() throws Exception {
    var all = get("/containerLogs/default/talker/app");
    assertEquals(200, all.statusCode());
    assertEquals("one\ntwo\nthree\n", all.body());
    assertEquals("two\nthree\n", get("/containerLogs/default/talker/app?tailLines=2").body());
    assertEquals(
        "2026-01-01T00:00:02Z three\n",
        get("/containerLogs/default/talker/app?tailLines=1&timestamps=true").body());
    assertEquals("one\ntw", get("/containerLogs/default/talker/app?limitBytes=6").body());
  }

  @Test
  void statsSummaryListsNodeAndRunningPods() throws Exception {
    var resp = get("/stats/summary");
    assertEquals(200, resp.statusCode());
    var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resp.body());
    assertEquals("node-a", summary.path("node").path("nodeName").asText());
    assertTrue(summary.path("node").path("memory").path("availableBytes").asLong() > 0);
    var pod = summary.path("pods").get(0);
    assertEquals("talker", pod.path("podRef").path("name").asText());
    assertEquals("app", pod.path("containers").get(0).path("name").asText());
  }

  @Test
  void unknownContainerAndBadOptionsAreErrors() throws Exception {
    var missing = get("/containerLogs/default/talker/nope");
    assertEquals(404, missing.statusCode());
    assertEquals("container \"nope\" in pod \"talker\" not found\n", missing.body());
    assertEquals(404, get("/containerLogs/default/talker/app?previous=true").statusCode());
    var bad = get("/containerLogs/default/talker/app?tailLines=-1");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("tailLines"));
  }

  @Test
  void followStreamsNewLinesUntilTheContainerExits() throws Exception {
    HttpResponse<InputStream> resp =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + kubelet.streamingPort()
                            + "/containerLogs/default/talker/app?follow=true&tailLines=1"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = resp.body();
    byte[] first = body.readNBytes("three\n".length());
    assertEquals("three\n", new String(first, StandardCharsets.UTF_8));
    Files.writeString(
        log,
        CriLogFormat.format(Instant.now(), LogEntry.Stream.STDOUT, "four") + "\n",
        StandardOpenOption.APPEND);
    assertEquals("four\n", new String(body.readNBytes("four\n".length()), StandardCharsets.UTF_8));
    cluster.runtime.exit("talker", "app", 0);
    assertEquals(-1, body.read(), "the stream ends when the container exits");
  }
}
