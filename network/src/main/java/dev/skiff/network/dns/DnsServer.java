package dev.skiff.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A DNS server on UDP and TCP (same port): names in the cluster domain are answered by the {@link
 * ClusterZone}, every other query is relayed to the upstream resolvers.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int EDNS_PAYLOAD = 1232;

  private final DnsConfig config;
  private final ClusterZone zone;
  private final Forwarder forwarder;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private DatagramSocket udp;
  private ServerSocket tcp;
  private volatile boolean closed;

  public DnsServer(DnsConfig config, ClusterZone zone) {
    this.config = config;
    this.zone = zone;
    this.forwarder = new Forwarder(config.upstreams());
  }

  public synchronized void start() {
    try {
      InetAddress address = InetAddress.getByName(config.bindAddress());
      // With port 0 the UDP socket picks the port and TCP must get the same one; retry if taken.
      for (int attempt = 0; ; attempt++) {
        udp = new DatagramSocket(new InetSocketAddress(address, config.port()));
        try {
          tcp = new ServerSocket();
          tcp.setReuseAddress(true);
          tcp.bind(new InetSocketAddress(address, udp.getLocalPort()), 128);
          break;
        } catch (IOException e) {
          udp.close();
          if (config.port() != 0 || attempt > 20) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + config.bindAddress() + ":" + config.port(), e);
    }
    Thread.ofPlatform().name("dns-udp").daemon().start(this::serveUdp);
    Thread.ofPlatform().name("dns-tcp").daemon().start(this::serveTcp);
    LOG.info("cluster DNS listening on {}:{} (udp, tcp)", config.bindAddress(), port());
  }

  public int port() {
    return udp.getLocalPort();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS UDP receive failed", e);
        }
        continue;
      }
      byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
      InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
      workers.execute(
          () -> {
            byte[] answer = handle(query, false);
            if (answer != null) {
              try {
                udp.send(new DatagramPacket(answer, answer.length, client));
              } catch (IOException e) {
                LOG.debug("DNS reply to {} failed", client, e);
              }
            }
          });
    }
  }

  private void serveTcp() {
    while (!closed) {
      Socket socket;
      try {
        socket = tcp.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS TCP accept failed", e);
        }
        continue;
      }
      workers.execute(() -> serveConnection(socket));
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      while (!closed) {
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        byte[] answer = handle(query, true);
        if (answer == null) {
          return;
        }
        out.writeShort(answer.length);
        out.write(answer);
        out.flush();
      }
    } catch (EOFException | SocketException e) {
      // The client closed the connection or it timed out: nothing to answer.
    } catch (IOException e) {
      LOG.debug("DNS TCP connection failed", e);
    }
  }

  /** The wire answer to one wire query; null to stay silent (unparseable header). */
  byte[] handle(byte[] wire, boolean tcp) {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException e) {
      return wire.length >= 12 ? error(wire, Rcode.FORMERR) : null;
    }
    if (query.getHeader().getFlag(Flags.QR)) {
      return null;
    }
    if (query.getHeader().getOpcode() != Opcode.QUERY || query.getQuestion() == null) {
      return error(wire, Rcode.NOTIMP);
    }
    Message response = zone.answer(query);
    if (response == null) {
      byte[] forwarded = forwarder.forward(wire, tcp);
      return forwarded != null ? forwarded : serverFailure(query);
    }
    OPTRecord opt = query.getOPT();
    int limit = 512;
    if (opt != null) {
      limit = Math.max(512, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    return tcp ? response.toWire() : response.toWire(limit);
  }

  private static byte[] serverFailure(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setRcode(Rcode.SERVFAIL);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response.toWire();
  }

  /** A bare header-only reply with {@code rcode}, for queries that cannot be parsed or served. */
  private static byte[] error(byte[] wire, int rcode) {
    byte[] reply = new byte[12];
    reply[0] = wire[0];
    reply[1] = wire[1];
    reply[2] = (byte) ((wire[2] & 0x79) | 0x80);
    reply[3] = (byte) (0x80 | rcode);
    return reply;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      try {
        tcp.close();
      } catch (IOException e) {
        LOG.debug("closing DNS TCP socket", e);
      }
    }
    workers.shutdownNow();
  }
}
