package dev.skiff.runtime.cri;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import dev.skiff.runtime.cri.v1.ImageServiceGrpc;
import dev.skiff.runtime.cri.v1.RuntimeServiceGrpc;
import dev.skiff.runtime.cri.v1.VersionRequest;
import dev.skiff.runtime.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A gRPC connection to a CRI runtime (containerd, CRI-O) on its Unix socket, as the kubelet's
 * {@code --container-runtime-endpoint}. Every call carries a deadline, and gRPC failures become
 * {@link ContainerRuntimeException}s with the matching code.
 */
public final class CriConnection implements AutoCloseable {
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  private final String endpoint;
  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;

  private CriConnection(String endpoint, String socketPath) {
    this.endpoint = endpoint;
    this.eventLoop = new EpollEventLoopGroup(1);
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath))
            .eventLoopGroup(eventLoop)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
  }

  /** Connects to {@code unix:///path/to.sock} (or a bare path) and checks the API version. */
  public static CriConnection open(String endpoint) {
    String path =
        endpoint.startsWith("unix://") ? endpoint.substring("unix://".length()) : endpoint;
    if (!path.startsWith("/")) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT,
          "container runtime endpoint must be unix:///path/to.sock, got \"" + endpoint + "\"");
    }
    CriConnection c = new CriConnection(endpoint, path);
    try {
      c.version();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The runtime's name, version and CRI API version. */
  public VersionResponse version() {
    return call(
        () -> runtime().version(VersionRequest.newBuilder().setVersion("v1").build()), "Version");
  }

  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  ImageServiceGrpc.ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs one RPC, translating its gRPC status. */
  <T> T call(Supplier<T> rpc, String method) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw translate(e.getStatus(), method);
    }
  }

  ContainerRuntimeException translate(Status status, String method) {
    String message =
        method
            + " on "
            + endpoint
            + ": "
            + (status.getDescription() == null ? status.getCode() : status.getDescription());
    return new ContainerRuntimeException(code(status.getCode()), message, status.getCause());
  }

  static Code code(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> Code.NOT_FOUND;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> Code.INVALID_ARGUMENT;
      case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
      case DEADLINE_EXCEEDED -> Code.DEADLINE_EXCEEDED;
      case UNAVAILABLE -> Code.UNAVAILABLE;
      default -> Code.INTERNAL;
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
