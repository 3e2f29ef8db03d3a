package dev.skiff.apiserver.testing;

/** Runs a test server until killed, printing its URL: for trying kubectl by hand. */
public final class ServeForKubectl {
  private ServeForKubectl() {}

  public static void main(String[] args) throws InterruptedException {
    TestServer s = new TestServer();
    System.out.println("serving " + s.url());
    Thread.sleep(Long.MAX_VALUE);
  }
}
