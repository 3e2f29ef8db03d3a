package dev.skiff.kubelet.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcHealthCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private Server server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  /** A server on loopback whose health service answers per service name. */
  private int serve(Map<String, Integer> statusByService) throws Exception {
    var health =
        ServerServiceDefinition.builder("grpc.health.v1.Health")
            .addMethod(
                GrpcHealthCheck.CHECK,
                ServerCalls.asyncUnaryCall(
                    (service, response) -> {
                      response.onNext(statusByService.getOrDefault(service, 3));
                      response.onCompleted();
                    }))
            .build();
    return start(health);
  }

  private int start(ServerServiceDefinition... services) throws Exception {
    var builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    for (var s : services) {
      builder.addService(s);
    }
    server = builder.build().start();
    return server.getPort();
  }

  @Test
  void aServingServiceSucceeds() throws Exception {
    int port = serve(Map.of("", 1, "db", 1));
    assertTrue(GrpcHealthCheck.check("127.0.0.1", port, null, TIMEOUT).success());
    ProbeActions.Result named = GrpcHealthCheck.check("127.0.0.1", port, "db", TIMEOUT);
    assertTrue(named.success(), named.output());
  }

  @Test
  void anyOtherStatusFailsNamingIt() throws Exception {
    int port = serve(Map.of("", 2));
    ProbeActions.Result r = GrpcHealthCheck.check("127.0.0.1", port, "", TIMEOUT);
    assertFalse(r.success());
    assertEquals("service unhealthy (responded with \"NOT_SERVING\")", r.output());
    assertEquals(
        "service unhealthy (responded with \"SERVICE_UNKNOWN\")",
        GrpcHealthCheck.check("127.0.0.1", port, "cache", TIMEOUT).output());
  }

  @Test
  void aServerWithoutTheHealthServiceFails() throws Exception {
    int port =
        start(
            ServerServiceDefinition.builder("other.Service")
                .addMethod(
                    io.grpc.MethodDescriptor.<String, Integer>newBuilder()
                        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName("other.Service/Call")
                        .setRequestMarshaller(new GrpcHealthCheck.RequestMarshaller())
                        .setResponseMarshaller(new GrpcHealthCheck.ResponseMarshaller())
                        .build(),
                    ServerCalls.asyncUnaryCall((req, resp) -> resp.onCompleted()))
                .build());
    ProbeActions.Result r = GrpcHealthCheck.check("127.0.0.1", port, "", TIMEOUT);
    assertFalse(r.success());
    assertTrue(
        r.output()
            .startsWith(
                "error: this server does not implement the grpc health protocol"
                    + " (grpc.health.v1.Health)"),
        r.output());
  }

  @Test
  void nothingListeningFails() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeActions.Result r = GrpcHealthCheck.check("127.0.0.1", port, "", TIMEOUT);
    assertFalse(r.success());
    assertTrue(
        r.output().startsWith("error: failed to connect service at \"127.0.0.1:" + port + "\""),
        r.output());
  }
}
