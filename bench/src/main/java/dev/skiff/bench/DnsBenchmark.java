package dev.skiff.bench;

import dev.skiff.network.dns.ClusterRecords;
import dev.skiff.network.dns.ClusterZone;
import dev.skiff.network.dns.DnsConfig;
import dev.skiff.network.dns.DnsServer;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Cluster DNS throughput: {@code ./skiff bench dns [--services N] [--clients N] [--seconds N]}.
 * Serves N ClusterIP Services on 127.0.0.1 and has each client send A queries for random Services
 * over UDP, one outstanding query per client, for a bounded time; prints queries/s and latency.
 */
public final class DnsBenchmark {
  public static void main(String[] args) throws Exception {
    IntOptions options =
        new IntOptions("DnsBenchmark")
            .with("--services", 1000)
            .with("--clients", 4)
            .with("--seconds", 10)
            .parse(args);
    int services = options.get("--services");
    int clients = options.get("--clients");
    int seconds = options.get("--seconds");
    ClusterRecords records = new ClusterRecords();
    for (int s = 0; s < services; s++) {
      records.putService(
          new ServiceBuilder()
              .withNewMetadata()
              .withNamespace("bench")
              .withName("svc-" + s)
              .endMetadata()
              .withNewSpec()
              .withClusterIP("10.43." + (s / 250) + "." + (s % 250 + 1))
              .addNewPort()
              .withName("http")
              .withPort(80)
              .endPort()
              .endSpec()
              .build());
    }
    DnsConfig config = new DnsConfig("127.0.0.1", 0, "cluster.local", 5, List.of());
    try (DnsServer server = new DnsServer(config, new ClusterZone(records, "cluster.local", 5))) {
      server.start();
      run(server.port(), services, clients, 2, false);
      run(server.port(), services, clients, seconds, true);
    }
  }

  private static void run(int port, int services, int clients, int seconds, boolean report)
      throws Exception {
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong latencyNanos = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (DatagramSocket socket = new DatagramSocket()) {
                      socket.setSoTimeout(1000);
                      socket.connect(new InetSocketAddress("127.0.0.1", port));
                      byte[] buffer = new byte[1500];
                      int n = client;
                      while (System.nanoTime() < deadline) {
                        Name name =
                            Name.fromString(
                                "svc-" + (n++ % services) + ".bench.svc.cluster.local.");
                        byte[] query =
                            Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)).toWire();
                        long t0 = System.nanoTime();
                        socket.send(new DatagramPacket(query, query.length));
                        try {
                          socket.receive(new DatagramPacket(buffer, buffer.length));
                          latencyNanos.addAndGet(System.nanoTime() - t0);
                          answered.incrementAndGet();
                        } catch (java.net.SocketTimeoutException e) {
                          failed.incrementAndGet();
                        }
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (report) {
      long ok = answered.get();
      System.out.printf(
          "dns: %d services, %d clients, %d s: %d queries/s, mean latency %.1f us, %d timeouts%n",
          services,
          clients,
          seconds,
          ok / seconds,
          ok == 0 ? 0.0 : latencyNanos.get() / 1000.0 / ok,
          failed.get());
    }
  }
}
