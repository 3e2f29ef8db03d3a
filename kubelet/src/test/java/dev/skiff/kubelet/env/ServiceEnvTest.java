package dev.skiff.kubelet.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {
  @Test
  void describesEachPortAsDockerLinksDo() {
    Service s =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("redis-primary")
            .endMetadata()
            .withNewSpec()
            .withClusterIP("10.43.0.11")
            .addNewPort()
            .withName("db")
            .withPort(6379)
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .build();
    var env = ServiceEnv.of(List.of(s));
    assertEquals("10.43.0.11", env.get("REDIS_PRIMARY_SERVICE_HOST"));
    assertEquals("6379", env.get("REDIS_PRIMARY_SERVICE_PORT"));
    assertEquals("6379", env.get("REDIS_PRIMARY_SERVICE_PORT_DB"));
    assertEquals("tcp://10.43.0.11:6379", env.get("REDIS_PRIMARY_PORT"));
    assertEquals("tcp://10.43.0.11:6379", env.get("REDIS_PRIMARY_PORT_6379_TCP"));
    assertEquals("tcp", env.get("REDIS_PRIMARY_PORT_6379_TCP_PROTO"));
    assertEquals("10.43.0.11", env.get("REDIS_PRIMARY_PORT_6379_TCP_ADDR"));
  }

  @Test
  void headlessServicesAreLeftOut() {
    Service s =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("h")
            .endMetadata()
            .withNewSpec()
            .withClusterIP("None")
            .addNewPort()
            .withPort(80)
            .endPort()
            .endSpec()
            .build();
    assertFalse(ServiceEnv.of(List.of(s)).containsKey("H_SERVICE_HOST"));
  }
}
