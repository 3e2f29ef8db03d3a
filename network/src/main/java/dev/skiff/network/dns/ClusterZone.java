package dev.skiff.network.dns;

import dev.skiff.network.dns.ClusterRecords.Backend;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers for the cluster domain, following the Kubernetes DNS specification (CoreDNS's kubernetes
 * plugin): {@code <svc>.<ns>.svc} (ClusterIP, headless backends, ExternalName CNAME), {@code
 * <endpoint>.<svc>.<ns>.svc}, {@code _<port>._<proto>.<svc>.<ns>.svc} SRV, {@code a-b-c-d.<ns>.pod}
 * and PTR for Service and endpoint addresses.
 */
public final class ClusterZone {
  private final ClusterRecords records;
  private final Name zone;
  private final long ttl;
  private final SOARecord soa;

  public ClusterZone(ClusterRecords records, String domain, long ttl) {
    this.records = records;
    this.ttl = ttl;
    try {
      this.zone = Name.fromString(domain + ".");
      this.soa =
          new SOARecord(
              zone,
              DClass.IN,
              ttl,
              Name.fromString("ns.dns", zone),
              Name.fromString("hostmaster", zone),
              1,
              7200,
              1800,
              86400,
              ttl);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid cluster domain: " + domain, e);
    }
  }

  /** True for names this server answers itself rather than forwarding. */
  public boolean isAuthoritativeFor(Name name) {
    return name.subdomain(zone);
  }

  /**
   * The answer to {@code query}, or null when the name is not the cluster's (a reverse name of an
   * unknown address included) and should be forwarded.
   */
  public Message answer(Message query) {
    Record question = query.getQuestion();
    if (question == null) {
      return null;
    }
    Name name = question.getName();
    int type = question.getType();
    if (!name.subdomain(zone)) {
      return type == Type.PTR ? reverse(query, name) : null;
    }
    Message response = response(query);
    List<Record> answers = new ArrayList<>();
    List<Record> extra = new ArrayList<>();
    boolean exists = lookup(name, type, answers, extra);
    if (!exists) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      response.addRecord(soa, Section.AUTHORITY);
    } else if (answers.isEmpty()) {
      response.addRecord(soa, Section.AUTHORITY);
    }
    answers.forEach(r -> response.addRecord(r, Section.ANSWER));
    extra.forEach(r -> response.addRecord(r, Section.ADDITIONAL));
    return response;
  }

  private Message response(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  /** Fills in records; false when the name does not exist at all (NXDOMAIN). */
  private boolean lookup(Name name, int type, List<Record> answers, List<Record> extra) {
    int depth = name.labels() - zone.labels();
    String[] l = new String[depth];
    for (int i = 0; i < depth; i++) {
      l[i] = name.getLabelString(i).toLowerCase(Locale.ROOT);
    }
    if (depth == 0) {
      if (type == Type.SOA || type == Type.ANY) {
        answers.add(soa);
      } else if (type == Type.NS) {
        answers.add(new NSRecord(zone, DClass.IN, ttl, soa.getHost()));
      }
      return true;
    }
    String kind = l[depth - 1];
    if (kind.equals("pod") && depth == 3) {
      return pod(name, l[0], type, answers);
    }
    if (!kind.equals("svc")) {
      return false;
    }
    if (depth == 2) {
      return records.services().stream().anyMatch(s -> s.getMetadata().getNamespace().equals(l[0]));
    }
    if (depth == 3) {
      return records
          .service(l[1], l[0])
          .map(s -> service(name, s, type, answers, extra))
          .orElse(false);
    }
    if (depth == 4) {
      return records
          .service(l[2], l[1])
          .map(s -> endpoint(name, s, l[0], type, answers))
          .orElse(false);
    }
    if (depth == 5 && l[0].startsWith("_") && l[1].startsWith("_")) {
      return records
          .service(l[3], l[2])
          .map(s -> srv(s, l[0].substring(1), l[1].substring(1), type, name, answers, extra))
          .orElse(false);
    }
    return false;
  }

  private boolean service(
      Name name, Service s, int type, List<Record> answers, List<Record> extra) {
    if ("ExternalName".equals(s.getSpec().getType())) {
      Name target = absolute(s.getSpec().getExternalName());
      if (target != null) {
        answers.add(new CNAMERecord(name, DClass.IN, ttl, target));
      }
      return true;
    }
    if (type == Type.SRV) {
      return srv(s, null, null, type, name, answers, extra);
    }
    for (String ip : addresses(s)) {
      address(name, ip, type, answers);
    }
    return true;
  }

  /** ClusterIPs, or for a headless Service the addresses of its ready backends. */
  private List<String> addresses(Service s) {
    if (!isHeadless(s)) {
      List<String> ips = s.getSpec().getClusterIPs();
      if (ips == null || ips.isEmpty()) {
        ips = s.getSpec().getClusterIP() == null ? List.of() : List.of(s.getSpec().getClusterIP());
      }
      return ips;
    }
    return records.backends(s).stream().map(Backend::ip).toList();
  }

  private static boolean isHeadless(Service s) {
    return "None".equals(s.getSpec().getClusterIP());
  }

  private boolean endpoint(Name name, Service s, String label, int type, List<Record> answers) {
    if (!isHeadless(s)) {
      return false;
    }
    boolean found = false;
    for (Backend b : records.backends(s)) {
      if (label.equals(endpointLabel(b))) {
        address(name, b.ip(), type, answers);
        found = true;
      }
    }
    return found;
  }

  private static String endpointLabel(Backend b) {
    return b.hostname() != null && !b.hostname().isEmpty()
        ? b.hostname().toLowerCase(Locale.ROOT)
        : b.ip().replace('.', '-').replace(':', '-');
  }

  private boolean srv(
      Service s,
      String portName,
      String protocol,
      int type,
      Name name,
      List<Record> answers,
      List<Record> extra) {
    Name serviceName = serviceName(s);
    List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
    boolean matched = false;
    for (ServicePort p : ports) {
      String pName = p.getName() == null ? "" : p.getName();
      String pProto = (p.getProtocol() == null ? "TCP" : p.getProtocol()).toLowerCase(Locale.ROOT);
      if (portName != null && (!pName.equals(portName) || !pProto.equals(protocol))) {
        continue;
      }
      matched = true;
      if (type != Type.SRV && type != Type.ANY) {
        continue;
      }
      if (!isHeadless(s)) {
        answers.add(new SRVRecord(name, DClass.IN, ttl, 0, 100, p.getPort(), serviceName));
        for (String ip : addresses(s)) {
          address(serviceName, ip, ip.contains(":") ? Type.AAAA : Type.A, extra);
        }
        continue;
      }
      List<Backend> backends =
          records.backends(s).stream()
              .filter(b -> b.ports().containsKey(pName + "/" + pProto))
              .toList();
      for (Backend b : backends) {
        Name target = child(endpointLabel(b), serviceName);
        answers.add(
            new SRVRecord(
                name,
                DClass.IN,
                ttl,
                0,
                100 / backends.size(),
                b.ports().get(pName + "/" + pProto),
                target));
        address(target, b.ip(), b.ip().contains(":") ? Type.AAAA : Type.A, extra);
      }
    }
    return portName == null || matched;
  }

  private boolean pod(Name name, String label, int type, List<Record> answers) {
    String ip =
        label.contains("--") || label.chars().filter(c -> c == '-').count() > 3
            ? label.replace('-', ':')
            : label.replace('-', '.');
    if (!ip.contains(":") && !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    try {
      InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      return false;
    }
    address(name, ip, type, answers);
    return true;
  }

  private Message reverse(Message query, Name name) {
    String ip = reverseToIp(name);
    if (ip == null) {
      return null;
    }
    List<Name> targets = new ArrayList<>();
    for (Service s : records.services()) {
      if (addresses(s).contains(ip) && !isHeadless(s)) {
        targets.add(serviceName(s));
      } else if (isHeadless(s)) {
        for (Backend b : records.backends(s)) {
          if (b.ip().equals(ip)) {
            targets.add(child(endpointLabel(b), serviceName(s)));
          }
        }
      }
    }
    if (targets.isEmpty()) {
      return null;
    }
    Message response = response(query);
    for (Name target : targets) {
      response.addRecord(new PTRRecord(name, DClass.IN, ttl, target), Section.ANSWER);
    }
    return response;
  }

  private static String reverseToIp(Name name) {
    String text = name.toString(true).toLowerCase(Locale.ROOT);
    if (text.endsWith(".in-addr.arpa")) {
      String[] octets = text.substring(0, text.length() - ".in-addr.arpa".length()).split("\\.");
      if (octets.length != 4) {
        return null;
      }
      return octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0];
    }
    if (text.endsWith(".ip6.arpa")) {
      String[] nibbles = text.substring(0, text.length() - ".ip6.arpa".length()).split("\\.");
      if (nibbles.length != 32) {
        return null;
      }
      StringBuilder hex = new StringBuilder();
      for (int i = 31; i >= 0; i--) {
        hex.append(nibbles[i]);
        if (i % 4 == 0 && i > 0) {
          hex.append(':');
        }
      }
      try {
        return dev.skiff.api.net.Cidr.format(InetAddress.getByName(hex.toString()).getAddress());
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  private void address(Name name, String ip, int type, List<Record> out) {
    try {
      InetAddress address = InetAddress.getByName(ip);
      boolean v6 = address.getAddress().length == 16;
      if (!v6 && (type == Type.A || type == Type.ANY)) {
        out.add(new ARecord(name, DClass.IN, ttl, address));
      } else if (v6 && (type == Type.AAAA || type == Type.ANY)) {
        out.add(new AAAARecord(name, DClass.IN, ttl, address));
      }
    } catch (UnknownHostException e) {
      // An address that does not parse has no record; the name still exists.
    }
  }

  private Name serviceName(Service s) {
    return child(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc", zone);
  }

  private static Name child(String labels, Name origin) {
    try {
      return Name.fromString(labels, origin);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(labels, e);
    }
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return null;
    }
  }
}
