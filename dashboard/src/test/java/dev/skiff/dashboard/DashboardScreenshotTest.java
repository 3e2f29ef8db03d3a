package dev.skiff.dashboard;

import static dev.skiff.dashboard.DashboardBrowserTest.eventually;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.dashboard.browser.BrowserSupport;
import dev.skiff.dashboard.browser.Chromium;
import dev.skiff.dashboard.browser.Page;
import dev.skiff.dashboard.testing.DashboardCluster;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A screenshot of the overview with a running Deployment: the picture the README shows. Written to
 * a file when asked: {@code mvn -B -o -pl dashboard -am test -Dtest=DashboardScreenshotTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddashboard.screenshot=$PWD/docs/dashboard.png} (see
 * docs/dashboard.md).
 */
class DashboardScreenshotTest {
  @Test
  void overviewWithARunningDeployment() throws Exception {
    try (Chromium chromium = new Chromium(BrowserSupport.chromiumOrSkip());
        DashboardCluster cluster = DashboardCluster.open()) {
      cluster.createNamespace("shop");
      cluster.addRunningDeployment("default", "web", 3);
      cluster.addRunningDeployment("shop", "cart", 2);
      cluster.addPendingPod("shop", "checkout-5f7c9");
      cluster.addWarning(
          "shop",
          "checkout-5f7c9",
          "FailedScheduling",
          "0/1 nodes are available: insufficient cpu");
      try (Page page = chromium.newPage()) {
        page.navigate(cluster.url() + "/ui/#/overview");
        eventually()
            .until(
                () -> page.text("[data-panel='Nodes'] tr[data-name='node-a'] [data-pods]"),
                equalTo("5/110"));
        eventually().until(() -> page.text("[data-phase='Running'] .value"), equalTo("5"));
        eventually()
            .until(
                () -> page.text("[data-panel='Recent warnings'] td:nth-child(4)"),
                equalTo("FailedScheduling"));
        eventually()
            .until(
                () ->
                    page.text(
                        "[data-panel='Deployments'] tr[data-name='web'] [data-column='Ready']"),
                equalTo("3/3"));
        byte[] png = page.screenshot();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(1280, image.getWidth());
        assertEquals(800, image.getHeight());
        assertNotBlank(image);
        String target = System.getProperty("dashboard.screenshot");
        if (target != null && !target.isBlank()) {
          Files.createDirectories(Path.of(target).toAbsolutePath().getParent());
          Files.write(Path.of(target), png);
        }
      }
    }
  }

  /** A rendered page has text and panels: many colours, none covering nearly everything. */
  private static void assertNotBlank(BufferedImage image) {
    Map<Integer, Integer> colours = new HashMap<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.merge(image.getRGB(x, y), 1, Integer::sum);
      }
    }
    int samples = (image.getWidth() / 2) * (image.getHeight() / 2);
    int commonest = colours.values().stream().max(Integer::compare).orElse(0);
    assertTrue(colours.size() > 50, "only " + colours.size() + " colours: a blank page?");
    assertTrue(commonest < samples * 0.9, "one colour covers " + commonest + " of " + samples);
  }
}
