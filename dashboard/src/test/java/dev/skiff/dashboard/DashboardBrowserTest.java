package dev.skiff.dashboard;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.dashboard.browser.BrowserSupport;
import dev.skiff.dashboard.browser.Chromium;
import dev.skiff.dashboard.browser.Page;
import dev.skiff.dashboard.proxy.ApiProxy;
import dev.skiff.dashboard.proxy.Upstream;
import dev.skiff.dashboard.testing.DashboardCluster;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard in headless Chromium against a real API server, as a user sees and uses it. */
class DashboardBrowserTest {
  private static Chromium chromium;
  private DashboardCluster cluster;
  private Page page;

  @BeforeAll
  static void startBrowser() throws Exception {
    chromium = new Chromium(BrowserSupport.chromiumOrSkip());
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void startCluster() throws Exception {
    cluster = DashboardCluster.open();
    page = chromium.newPage();
  }

  @AfterEach
  void stopCluster() throws Exception {
    try {
      if (page != null) {
        page.close();
      }
    } finally {
      cluster.close();
    }
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
  }

  private void open(String hash) {
    page.navigate(cluster.url() + "/ui/" + hash);
  }

  @Test
  void overviewShowsNodesTheirAllocationPodPhasesAndWarnings() {
    cluster.addRunningDeployment("default", "web", 3);
    cluster.addPendingPod("default", "waiting");
    cluster.addWarning("default", "waiting", "FailedScheduling", "0/1 nodes are available");
    open("#/overview");
    String node = "[data-panel='Nodes'] tr[data-name='node-a']";
    eventually().until(() -> page.text(node + " [data-pods]"), equalTo("3/110"));
    assertThat(page.text(node), "Ready");
    // Three pods request 250m and 128Mi each, of 4 CPUs and 8Gi.
    assertThat(page.text(node), "750m (19%)");
    assertThat(page.text(node), "384Mi (5%)");
    // No metrics API serves usage here: the page says it does not know.
    assertEquals("—", page.text(node + " [data-usage='cpu']"));
    eventually().until(() -> page.text("[data-phase='Running'] .value"), equalTo("3"));
    assertEquals("1", page.text("[data-phase='Pending'] .value"));
    eventually()
        .until(
            () -> page.text("[data-panel='Deployments'] tr[data-name='web'] [data-column='Ready']"),
            equalTo("3/3"));
    eventually()
        .until(
            () -> page.text("[data-panel='Recent warnings']"), containsString("FailedScheduling"));
    assertThat(page.text("[data-panel='Recent warnings']"), "pod/waiting");
  }

  @Test
  void workloadsFollowAScaleMadeThroughTheApi() {
    cluster.addRunningDeployment("default", "web", 3);
    open("#/workloads");
    String ready = "[data-panel='Deployments'] tr[data-name='web'] [data-column='Ready']";
    eventually().until(() -> page.text(ready), equalTo("3/3"));
    assertEquals(
        "Complete",
        page.text("[data-panel='Deployments'] tr[data-name='web'] [data-column='Rollout']"));
    cluster.patch(
        "/apis/apps/v1/namespaces/default/deployments/web/scale", "{\"spec\":{\"replicas\":5}}");
    eventually().until(() -> page.text(ready), equalTo("3/5"));
  }

  @Test
  void scalingFromTheUiAsksFirstThenChangesReplicas() {
    cluster.addRunningDeployment("default", "web", 3);
    open("#/workloads");
    String row = "[data-panel='Deployments'] tr[data-name='web']";
    eventually().until(() -> page.text(row + " [data-column='Ready']"), equalTo("3/3"));

    page.click(row + " button[data-action='scale']");
    eventually().until(() -> page.evaluate("document.getElementById('confirm').open").asBoolean());
    page.click("#confirm-cancel");
    eventually().until(() -> !page.evaluate("document.getElementById('confirm').open").asBoolean());
    assertEquals(3, replicas());

    page.click(row + " button[data-action='scale']");
    eventually().until(() -> page.evaluate("document.getElementById('confirm').open").asBoolean());
    assertThat(page.text("#confirm-message"), "default/web");
    page.fill("#confirm-input", "2");
    page.click("#confirm-ok");
    eventually().until(this::replicas, equalTo(2));
    eventually().until(() -> page.text(row + " [data-column='Ready']"), equalTo("3/2"));
  }

  @Test
  void restartingFromTheUiStampsThePodTemplate() {
    cluster.addRunningDeployment("default", "web", 3);
    open("#/workloads");
    String row = "[data-panel='Deployments'] tr[data-name='web']";
    eventually().until(() -> page.text(row + " [data-column='Ready']"), equalTo("3/3"));
    page.click(row + " button[data-action='restart']");
    eventually().until(() -> page.evaluate("document.getElementById('confirm').open").asBoolean());
    page.click("#confirm-ok");
    eventually()
        .until(
            () ->
                cluster
                    .get("/apis/apps/v1/namespaces/default/deployments/web")
                    .path("spec")
                    .path("template")
                    .path("metadata")
                    .path("annotations")
                    .path("kubectl.kubernetes.io/restartedAt")
                    .asText(),
            s -> s.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
  }

  @Test
  void deletingAPodFromTheUiDeletesIt() {
    cluster.addRunningDeployment("default", "web", 1);
    cluster.addPendingPod("default", "doomed");
    open("#/pods");
    String row = "tr[data-name='doomed']";
    eventually().until(() -> page.text(row + " [data-column='Status']"), equalTo("Pending"));
    page.click(row + " button[data-action='delete']");
    eventually().until(() -> page.evaluate("document.getElementById('confirm').open").asBoolean());
    assertThat(page.text("#confirm-message"), "default/doomed");
    page.click("#confirm-ok");
    eventually().until(() -> cluster.get("/api/v1/namespaces/default/pods/doomed"), nullValue());
    eventually().until(() -> page.text(row), nullValue());
    assertNotNull(page.text("tr[data-name='web-7d9c5b-a']"));
  }

  @Test
  void podDetailShowsContainersAndFollowsTheLog() {
    cluster.addRunningDeployment("default", "web", 1);
    cluster.addWarning("default", "web-7d9c5b-a", "Unhealthy", "Readiness probe failed");
    open("#/pods/default/web-7d9c5b-a");
    eventually().until(() -> page.text("#log"), containsString("hello from app"));
    assertThat(page.text("[data-panel='Containers'] tr[data-name='app']"), "busybox:1.35");
    String summary = page.text("[data-panel='Pod default/web-7d9c5b-a'] dl");
    assertThat(summary, "Nodenode-a");
    assertThat(summary, "Ready1/1");
    eventually()
        .until(() -> page.text("[data-panel='Events']"), containsString("Readiness probe failed"));
    cluster.kubelet().log("second line, written later");
    eventually().until(() -> page.text("#log"), containsString("second line, written later"));
    assertEquals("following", page.text("#log-state"));
  }

  @Test
  void namespaceFilterShowsOnlyThatNamespace() {
    cluster.createNamespace("shop");
    cluster.addRunningDeployment("default", "web", 1);
    cluster.addRunningDeployment("shop", "cart", 1);
    open("#/workloads");
    eventually().until(() -> page.text("tr[data-name='cart']") != null);
    assertNotNull(page.text("tr[data-name='web']"));
    page.evaluate(
        "(() => { const s = document.getElementById('namespace'); s.value = 'shop';"
            + " s.dispatchEvent(new Event('change')); })()");
    System.err.println(
        "DEBUG "
            + page.evaluate(
                "[...document.getElementById('namespace').options].map(o => o.value).join(',') + ' v=' + document.getElementById('namespace').value"));
    eventually().until(() -> page.text("tr[data-name='web']"), nullValue());
    assertNotNull(page.text("tr[data-name='cart']"));
  }

  @Test
  void servicesShowTheirEndpointsLive() {
    cluster.send(
        "POST",
        "/api/v1/namespaces/default/services",
        """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}
        """);
    open("#/services");
    String endpoints = "tr[data-name='web'] [data-column='Endpoints']";
    eventually().until(() -> page.text(endpoints), equalTo("<none>"));
    assertThat(page.text("tr[data-name='web']"), "80/TCP");
    cluster.send(
        "POST",
        "/api/v1/namespaces/default/endpoints",
        """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},
         "subsets":[{"addresses":[{"ip":"10.42.0.7"}],"notReadyAddresses":[{"ip":"10.42.0.8"}],
           "ports":[{"port":8080,"protocol":"TCP"}]}]}
        """);
    eventually().until(() -> page.text(endpoints), equalTo("10.42.0.7:8080 (+1 not ready)"));
  }

  @Test
  void worksThroughTheLoopbackProxy() throws Exception {
    cluster.addRunningDeployment("default", "web", 3);
    try (ApiProxy proxy =
        ApiProxy.start(0, new Upstream(URI.create(cluster.url()), SSLContext.getDefault(), null))) {
      page.navigate(proxy.url() + "#/workloads");
      String row = "[data-panel='Deployments'] tr[data-name='web']";
      eventually().until(() -> page.text(row + " [data-column='Ready']"), equalTo("3/3"));
      page.click(row + " button[data-action='scale']");
      eventually()
          .until(() -> page.evaluate("document.getElementById('confirm').open").asBoolean());
      page.fill("#confirm-input", "4");
      page.click("#confirm-ok");
      eventually().until(this::replicas, equalTo(4));
      eventually().until(() -> page.text(row + " [data-column='Ready']"), equalTo("3/4"));
    }
  }

  private int replicas() {
    JsonNode d = cluster.get("/apis/apps/v1/namespaces/default/deployments/web");
    return d.path("spec").path("replicas").asInt();
  }

  private static void assertThat(String actual, String expectedPart) {
    assertTrue(
        actual != null && actual.contains(expectedPart),
        "expected to see \"" + expectedPart + "\" in: " + actual);
  }
}
