package dev.skiff.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/** A TCP connection to a port on the pod's loopback, made inside its network namespace. */
public interface PortForwardStream extends AutoCloseable {
  /** Bytes from the pod. */
  InputStream input();

  /** Bytes to the pod; closing it half-closes the connection. */
  OutputStream output();

  @Override
  void close();
}
