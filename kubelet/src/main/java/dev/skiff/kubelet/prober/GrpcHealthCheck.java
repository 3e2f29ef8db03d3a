package dev.skiff.kubelet.prober;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc} probe: one {@code grpc.health.v1.Health/Check} call, in plaintext as upstream's
 * kubelet makes it. The two messages have one field each, so they are encoded here rather than
 * generated from health.proto.
 */
final class GrpcHealthCheck {
  /** {@code HealthCheckResponse.ServingStatus}, by number. */
  static final List<String> STATUSES =
      List.of("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN");

  static final int SERVING = 1;

  static final MethodDescriptor<String, Integer> CHECK =
      MethodDescriptor.<String, Integer>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("grpc.health.v1.Health/Check")
          .setRequestMarshaller(new RequestMarshaller())
          .setResponseMarshaller(new ResponseMarshaller())
          .build();

  private GrpcHealthCheck() {}

  static ProbeActions.Result check(String host, int port, String service, Duration timeout) {
    String target = ProbeActions.hostPort(host, port);
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      int status =
          ClientCalls.blockingUnaryCall(
              channel,
              CHECK,
              CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS),
              service == null ? "" : service);
      if (status != SERVING) {
        return new ProbeActions.Result(
            false, "service unhealthy (responded with \"" + name(status) + "\")");
      }
      return new ProbeActions.Result(true, "service is serving");
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      return new ProbeActions.Result(
          false,
          switch (s.getCode()) {
            case UNIMPLEMENTED ->
                "error: this server does not implement the grpc health protocol"
                    + " (grpc.health.v1.Health): "
                    + s.getDescription();
            case DEADLINE_EXCEEDED ->
                "timeout: health rpc did not complete within " + timeout.toSeconds() + "s";
            case UNAVAILABLE ->
                "error: failed to connect service at \"" + target + "\": " + s.getDescription();
            default -> "error: health rpc probe failed: " + s;
          });
    } finally {
      channel.shutdownNow();
    }
  }

  private static String name(int status) {
    return status >= 0 && status < STATUSES.size() ? STATUSES.get(status) : "" + status;
  }

  /** {@code HealthCheckRequest}: field 1, the service name (empty asks for the whole server). */
  static final class RequestMarshaller implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String service) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        if (!service.isEmpty()) {
          out.writeString(1, service);
        }
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public String parse(InputStream stream) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        String service = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
          if (tag == ((1 << 3) | 2)) {
            service = in.readString();
          } else {
            in.skipField(tag);
          }
        }
        return service;
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("bad HealthCheckRequest")
            .withCause(e)
            .asRuntimeException();
      }
    }
  }

  /** {@code HealthCheckResponse}: field 1, the serving status (absent means UNKNOWN). */
  static final class ResponseMarshaller implements MethodDescriptor.Marshaller<Integer> {
    @Override
    public InputStream stream(Integer status) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        if (status != 0) {
          out.writeEnum(1, status);
        }
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public Integer parse(InputStream stream) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        int status = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
          if (tag == (1 << 3)) {
            status = in.readEnum();
          } else {
            in.skipField(tag);
          }
        }
        return status;
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("bad HealthCheckResponse")
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
