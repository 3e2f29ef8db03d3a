package dev.skiff.kubelet.server.spdy;

import java.io.IOException;

/** The peer broke the SPDY protocol; the session answers with GOAWAY and ends. */
final class ProtocolException extends IOException {
  ProtocolException(String message) {
    super(message);
  }
}
