package dev.skiff.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A resolver on loopback standing in for the node's: every A question gets {@code 192.0.2.53} (a
 * documentation address, only ever carried inside the reply), and it counts queries per transport.
 */
final class FakeUpstream implements AutoCloseable {
  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  private final DatagramSocket udp;
  private final ServerSocket tcp;

  FakeUpstream() throws IOException {
    udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    tcp = new ServerSocket();
    tcp.bind(new InetSocketAddress("127.0.0.1", udp.getLocalPort()));
    Thread.ofVirtual().start(this::serveUdp);
    Thread.ofVirtual().start(this::serveTcp);
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", udp.getLocalPort());
  }

  private static byte[] reply(byte[] wire) throws IOException {
    Message query = new Message(wire);
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    if (query.getQuestion().getType() == Type.A) {
      response.addRecord(
          new ARecord(
              query.getQuestion().getName(),
              DClass.IN,
              60,
              InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 53})),
          Section.ANSWER);
    }
    return response.toWire();
  }

  private void serveUdp() {
    byte[] buffer = new byte[4096];
    while (!udp.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        udpQueries.incrementAndGet();
        byte[] answer = reply(Arrays.copyOf(buffer, packet.getLength()));
        udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        tcpQueries.incrementAndGet();
        byte[] answer = reply(query);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(answer.length);
        out.write(answer);
        out.flush();
      } catch (IOException e) {
        if (tcp.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
  }
}
