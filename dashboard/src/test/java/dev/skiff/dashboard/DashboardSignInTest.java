package dev.skiff.dashboard;

import static dev.skiff.dashboard.DashboardBrowserTest.eventually;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.dashboard.browser.BrowserSupport;
import dev.skiff.dashboard.browser.Chromium;
import dev.skiff.dashboard.browser.Page;
import dev.skiff.dashboard.testing.DashboardCluster;
import org.junit.jupiter.api.Test;

/** On an API server that authenticates, /ui asks for a bearer token and uses it for every call. */
class DashboardSignInTest {
  @Test
  void signsInWithABearerTokenAndRefusesABadOne() throws Exception {
    try (Chromium chromium = new Chromium(BrowserSupport.chromiumOrSkip());
        DashboardCluster cluster = DashboardCluster.withAuth();
        Page page = chromium.newPage()) {
      cluster.send(
          "POST",
          "/apis/apps/v1/namespaces/default/deployments",
          """
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
           "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
            "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"app","image":"busybox:1.35"}]}}}}
          """);
      page.navigate(cluster.url() + "/ui/#/workloads");
      eventually()
          .until(() -> page.evaluate("!document.getElementById('login').hidden").asBoolean());

      page.fill("#token", "not-a-valid-token");
      page.click("#login-form button[type='submit']");
      eventually().until(() -> page.text("#login-error"), containsString("did not accept"));

      page.fill("#token", DashboardCluster.ADMIN_TOKEN);
      page.click("#login-form button[type='submit']");
      eventually()
          .until(
              () ->
                  page.text("[data-panel='Deployments'] tr[data-name='web'] [data-column='Ready']"),
              equalTo("0/2"));
      assertTrue(page.evaluate("document.getElementById('login').hidden").asBoolean());
      // The token lives in this tab's session storage only.
      assertEquals(
          DashboardCluster.ADMIN_TOKEN,
          page.evaluate("sessionStorage.getItem('skiff.dashboard.token')").asText());
      assertEquals("", page.evaluate("localStorage.length ? 'stored' : ''").asText());

      page.click("#sign-out");
      eventually()
          .until(() -> page.evaluate("!document.getElementById('login').hidden").asBoolean());
      assertTrue(
          page.evaluate("sessionStorage.getItem('skiff.dashboard.token') === null").asBoolean());
    }
  }
}
