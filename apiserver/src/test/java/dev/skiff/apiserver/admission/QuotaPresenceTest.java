package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.testing.TestServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Quota admission reads the store only in namespaces the watch cache shows quotas in; a quota that
 * reaches the store without passing through this server's admission must still be enforced.
 */
class QuotaPresenceTest extends AdmissionTestBase {

  @Test
  void aQuotaStoredBehindTheServersBackIsEnforcedOnceTheCacheSeesIt() throws Exception {
    String cms = "/api/v1/namespaces/" + ns + "/configmaps";
    assertEquals(201, server.post(cms, "{\"metadata\":{\"name\":\"before\"}}").code());
    ObjectNode quota =
        (ObjectNode)
            TestServer.JSON.readTree(
                ("{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':'q','namespace':'"
                        + ns
                        + "','uid':'0b6e3c1e-1f6a-4a7e-9f63-2c1d1b8f0a01',"
                        + "'creationTimestamp':'2026-01-01T00:00:00Z'},"
                        + "'spec':{'hard':{'count/configmaps':'1'}},"
                        + "'status':{'hard':{'count/configmaps':'1'},"
                        + "'used':{'count/configmaps':'1'}}}")
                    .replace('\'', '"'));
    server.store().create("/registry/resourcequotas/" + ns + "/q", Codec.encode(quota), 0);
    assertEquals(200, server.get("/api/v1/namespaces/" + ns + "/resourcequotas/q").code());
    AtomicInteger attempt = new AtomicInteger();
    Awaitility.await()
        .until(
            () ->
                server
                        .post(
                            cms, "{\"metadata\":{\"name\":\"c" + attempt.incrementAndGet() + "\"}}")
                        .code()
                    == 403);
    TestServer.Reply refused = server.post(cms, "{\"metadata\":{\"name\":\"after\"}}");
    assertEquals(403, refused.code(), refused.body());
    assertEquals(
        "configmaps \"after\" is forbidden: exceeded quota: q, requested: count/configmaps=1,"
            + " used: count/configmaps=1, limited: count/configmaps=1",
        refused.message());
  }
}
