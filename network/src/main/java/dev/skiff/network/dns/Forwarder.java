package dev.skiff.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * Relays a query, as raw bytes, to the node's resolvers in order until one answers: over UDP for a
 * UDP client (a truncated answer goes back as is, so the client retries over TCP) and over TCP for
 * a TCP client.
 */
final class Forwarder {
  private static final int TIMEOUT_MS = 2000;

  private final List<InetSocketAddress> upstreams;

  Forwarder(List<InetSocketAddress> upstreams) {
    this.upstreams = List.copyOf(upstreams);
  }

  /** The upstream's answer, or null when none answered. */
  byte[] forward(byte[] query, boolean tcp) {
    for (InetSocketAddress upstream : upstreams) {
      try {
        byte[] answer = tcp ? overTcp(upstream, query) : overUdp(upstream, query);
        if (answer.length >= 2 && answer[0] == query[0] && answer[1] == query[1]) {
          return answer;
        }
      } catch (IOException e) {
        // Try the next resolver, as a stub resolver would.
      }
    }
    return null;
  }

  private static byte[] overUdp(InetSocketAddress upstream, byte[] query) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.connect(upstream);
      socket.send(new DatagramPacket(query, query.length));
      byte[] buffer = new byte[65535];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return java.util.Arrays.copyOf(buffer, packet.getLength());
    }
  }

  private static byte[] overTcp(InetSocketAddress upstream, byte[] query) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(upstream, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }
}
