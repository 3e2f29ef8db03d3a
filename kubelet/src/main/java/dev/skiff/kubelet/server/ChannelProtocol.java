package dev.skiff.kubelet.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes WebSocket channel protocol that kubectl speaks for exec and attach: each binary
 * message starts with the id of the stream it carries; v5 adds a close message for one stream.
 */
final class ChannelProtocol {
  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";

  static final byte STDIN = 0;
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte ERROR = 3;
  static final byte RESIZE = 4;
  static final byte CLOSE = (byte) 255;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChannelProtocol() {}

  /** The newest protocol both sides speak, in kubelet preference order. */
  static Optional<String> negotiate(List<String> offered) {
    if (offered.contains(V5)) {
      return Optional.of(V5);
    }
    return offered.contains(V4) ? Optional.of(V4) : Optional.empty();
  }

  static byte[] frame(byte channel, byte[] data, int length) {
    byte[] message = new byte[length + 1];
    message[0] = channel;
    System.arraycopy(data, 0, message, 1, length);
    return message;
  }

  /** The metav1.Status that ends an exec: Success, or Failure carrying the exit code. */
  static byte[] exitStatus(List<String> command, int exitCode) {
    ObjectNode status = JSON.createObjectNode();
    status.putObject("metadata");
    if (exitCode == 0) {
      status.put("status", "Success");
    } else {
      status.put("status", "Failure");
      status.put(
          "message",
          "command terminated with non-zero exit code: error executing command "
              + command
              + ", exit code "
              + exitCode);
      status.put("reason", "NonZeroExitCode");
      status
          .putObject("details")
          .putArray("causes")
          .addObject()
          .put("reason", "ExitCode")
          .put("message", Integer.toString(exitCode));
    }
    return encode(status);
  }

  /** A Failure status for an error that is not the command's own, e.g. the runtime refusing. */
  static byte[] failure(String message) {
    ObjectNode status = JSON.createObjectNode();
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    return encode(status);
  }

  /** Parses a resize message body {@code {"Width":w,"Height":h}}; empty if it is malformed. */
  static Optional<int[]> terminalSize(byte[] body, int offset, int length) {
    try {
      var node = JSON.readTree(new String(body, offset, length, StandardCharsets.UTF_8));
      if (node == null || !node.path("Width").canConvertToInt()) {
        return Optional.empty();
      }
      return Optional.of(new int[] {node.path("Width").asInt(), node.path("Height").asInt()});
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] encode(ObjectNode status) {
    try {
      return JSON.writeValueAsBytes(status);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
