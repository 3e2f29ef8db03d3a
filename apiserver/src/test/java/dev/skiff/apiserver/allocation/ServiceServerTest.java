package dev.skiff.apiserver.allocation;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh API server per test, and Service manifests selecting {@code app: x}. */
abstract class ServiceServerTest {
  static final String SVCS = "/api/v1/namespaces/default/services";
  TestServer s;

  @BeforeEach
  void start() {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  /** A Service named {@code name} whose spec holds the selector and the fields in {@code spec}. */
  static String service(String name, String spec) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"selector\":{\"app\":\"x\"},"
        + spec
        + "}}";
  }
}
