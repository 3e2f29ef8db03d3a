package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.healthCheckNodePort} of LoadBalancer Services with {@code externalTrafficPolicy:
 * Local}, as a user of the real API server sees it.
 */
class HealthCheckNodePortTest extends ServiceServerTest {
  /** A Service with port 80 and the fields in {@code spec}. */
  private static String serviceOn80(String name, String spec) {
    return service(name, "\"ports\":[{\"port\":80}]," + spec);
  }

  private static String local(String extra) {
    return "\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\"" + extra;
  }

  private TestServer.Reply created(String name, String spec) {
    TestServer.Reply r = s.post(SVCS, serviceOn80(name, spec));
    assertEquals(201, r.code(), r.body());
    return r;
  }

  private static int healthCheckNodePort(TestServer.Reply r) {
    return r.json().path("spec").path("healthCheckNodePort").asInt(0);
  }

  private int nodePortService(String name, int port) {
    return s.post(
            SVCS,
            serviceOn80(name, "\"type\":\"NodePort\"")
                .replace("80}", "80,\"nodePort\":" + port + "}"))
        .code();
  }

  @Test
  void localLoadBalancersGetAPortFromTheNodePortRangeAndOthersNone() {
    int port = healthCheckNodePort(created("local", local("")));
    assertTrue(port >= 30000 && port <= 32767, "healthCheckNodePort " + port);
    TestServer.Reply other = created("other", local(""));
    assertNotEquals(port, healthCheckNodePort(other));
    assertNotEquals(port, other.json().at("/spec/ports/0/nodePort").asInt());
    assertTrue(new ServiceAllocations(s.store(), "10.43.0.0/16", "30000-32767").hasPort(port));
    assertEquals(0, healthCheckNodePort(created("cluster", "\"type\":\"LoadBalancer\"")));
    assertEquals(0, healthCheckNodePort(created("np", "\"type\":\"NodePort\"")));
  }

  @Test
  void aChosenPortIsReservedAndATakenOneRefused() {
    assertEquals(31500, healthCheckNodePort(created("a", local(",\"healthCheckNodePort\":31500"))));
    assertEquals(422, nodePortService("np", 31500));
    TestServer.Reply taken =
        s.post(SVCS, serviceOn80("b", local(",\"healthCheckNodePort\":31500")));
    assertEquals(500, taken.code(), taken.body());
    assertEquals("InternalError", taken.reason());
    assertEquals(
        "Internal error occurred: failed to allocate requested HealthCheck NodePort 31500:"
            + " provided port is already allocated",
        taken.message());
    // The refused create gave back the ClusterIP and NodePort it had taken.
    assertEquals(404, s.get(SVCS + "/b").code());
  }

  @Test
  void onlyLocalLoadBalancersMayHaveOne() {
    TestServer.Reply r =
        s.post(SVCS, serviceOn80("a", "\"type\":\"NodePort\",\"healthCheckNodePort\":31501"));
    assertEquals(422, r.code(), r.body());
    assertEquals(
        "Service \"a\" is invalid: spec.healthCheckNodePort: Invalid value: 31501: may only be set"
            + " when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        r.message());
  }

  @Test
  void itIsImmutableAndKeptByAReplaceThatOmitsIt() {
    TestServer.Reply a = created("a", local(""));
    int port = healthCheckNodePort(a);
    TestServer.Reply changed =
        s.patch(
            SVCS + "/a", "merge-patch", "{\"spec\":{\"healthCheckNodePort\":" + (port + 1) + "}}");
    assertEquals(422, changed.code(), changed.body());
    assertEquals(
        "Service \"a\" is invalid: spec.healthCheckNodePort: Forbidden: field is immutable",
        changed.message());
    String version = a.json().at("/metadata/resourceVersion").asText();
    TestServer.Reply replaced =
        s.put(
            SVCS + "/a",
            serviceOn80("a", local(""))
                .replace(
                    "{\"name\":\"a\"", "{\"name\":\"a\",\"resourceVersion\":\"" + version + "\""));
    assertEquals(200, replaced.code(), replaced.body());
    assertEquals(port, healthCheckNodePort(replaced));
  }

  @Test
  void leavingLocalOrLoadBalancerReleasesItAndComingBackAllocatesOne() {
    int port = healthCheckNodePort(created("a", local(",\"healthCheckNodePort\":31502")));
    TestServer.Reply cluster =
        s.patch(SVCS + "/a", "merge-patch", "{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}");
    assertEquals(200, cluster.code(), cluster.body());
    assertFalse(cluster.json().path("spec").has("healthCheckNodePort"), cluster.body());
    assertEquals(201, nodePortService("np", port));
    assertEquals(200, s.delete(SVCS + "/np").code());

    TestServer.Reply back =
        s.patch(SVCS + "/a", "merge-patch", "{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}");
    assertEquals(200, back.code(), back.body());
    int again = healthCheckNodePort(back);
    assertTrue(again >= 30000, back.body());

    TestServer.Reply nodePort =
        s.patch(SVCS + "/a", "merge-patch", "{\"spec\":{\"type\":\"NodePort\"}}");
    assertEquals(200, nodePort.code(), nodePort.body());
    assertFalse(nodePort.json().path("spec").has("healthCheckNodePort"), nodePort.body());
    assertEquals(201, nodePortService("np2", again));
  }

  @Test
  void deleteReleasesIt() {
    created("a", local(",\"healthCheckNodePort\":31503"));
    assertEquals(200, s.delete(SVCS + "/a").code());
    assertEquals(31503, healthCheckNodePort(created("b", local(",\"healthCheckNodePort\":31503"))));
  }
}
