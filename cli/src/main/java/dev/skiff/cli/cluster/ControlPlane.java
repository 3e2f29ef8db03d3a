package dev.skiff.cli.cluster;

import dev.skiff.api.cron.CronSchedule;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.audit.AuditLog;
import dev.skiff.apiserver.auth.AuthOptions;
import dev.skiff.apiserver.encryption.EncryptingStore;
import dev.skiff.apiserver.encryption.EncryptionConfiguration;
import dev.skiff.cli.UserError;
import dev.skiff.cli.host.NodeAddress;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.cli.pki.Pem;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerOptions;
import dev.skiff.controllers.certificates.SigningCa;
import dev.skiff.dashboard.DashboardHandler;
import dev.skiff.network.routes.HostGwRouteProgrammer;
import dev.skiff.network.routes.NodeRouteController;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.framework.SchedulerConfiguration;
import dev.skiff.storage.Snapshots;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import dev.skiff.storage.snapshot.SnapshotSchedule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of one cluster in this process: the store and the API server (controllers and
 * scheduler join as they land), started in order and closed in reverse.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  /** k3s' name for the built-in LoadBalancer implementation, as {@code --disable} takes it. */
  public static final String SERVICE_LB = "servicelb";

  /** The first address of the default service CIDR 10.43.0.0/16: the kubernetes Service. */
  public static final String KUBERNETES_SERVICE_IP = "10.43.0.1";

  private final List<AutoCloseable> started = new ArrayList<>();
  private ApiServer apiServer;
  private ComponentClients clients;

  /**
   * What {@code up} and {@code server} configure; {@code disabledComponents} are the packaged
   * components turned off ({@link #SERVICE_LB}: LoadBalancer Services stay pending).
   */
  public record Settings(
      Path dataDir,
      String bindAddress,
      int port,
      String datastoreEndpoint,
      Path datastoreCaFile,
      Path datastoreCertFile,
      Path datastoreKeyFile,
      List<String> tlsSans,
      String snapshotSchedule,
      int snapshotRetention,
      Path snapshotDir,
      Duration horizontalPodAutoscalerSyncPeriod,
      Duration metricResolution,
      Set<String> disabledComponents) {

    /** With upstream's 15 s autoscaler sync period and metric resolution. */
    public Settings(
        Path dataDir,
        String bindAddress,
        int port,
        String datastoreEndpoint,
        Path datastoreCaFile,
        Path datastoreCertFile,
        Path datastoreKeyFile,
        List<String> tlsSans,
        String snapshotSchedule,
        int snapshotRetention,
        Path snapshotDir) {
      this(
          dataDir,
          bindAddress,
          port,
          datastoreEndpoint,
          datastoreCaFile,
          datastoreCertFile,
          datastoreKeyFile,
          tlsSans,
          snapshotSchedule,
          snapshotRetention,
          snapshotDir,
          Duration.ofSeconds(15),
          Duration.ofSeconds(15),
          Set.of());
    }
  }

  /** A lone server named after this machine, with upstream's leader-election timings. */
  public static ControlPlane start(Settings s, ClusterPki pki) {
    return start(s, pki, ServerElection.defaults(hostName() + "-" + s.port(), advertiseAddress(s)));
  }

  /** One server of a control plane that other servers on the same store may share. */
  public static ControlPlane start(Settings s, ClusterPki pki, ServerElection election) {
    var plane = new ControlPlane();
    try {
      plane.startAll(s, pki, election);
      return plane;
    } catch (RuntimeException | IOException e) {
      plane.close();
      if (e instanceof UserError u) {
        throw u;
      }
      if (e instanceof IllegalArgumentException) {
        throw new UserError(e.getMessage(), e);
      }
      throw new UserError("cannot start the control plane: " + rootMessage(e), e);
    }
  }

  private void startAll(Settings s, ClusterPki pki, ServerElection election) throws IOException {
    Store store =
        Stores.open(
            s.datastoreEndpoint(),
            s.dataDir(),
            s.datastoreCaFile(),
            s.datastoreCertFile(),
            s.datastoreKeyFile());
    started.add(store);
    log.info(
        "store: {}",
        s.datastoreEndpoint().isEmpty() ? s.dataDir().resolve("state.db") : s.datastoreEndpoint());

    if (!s.snapshotSchedule().isBlank() && store instanceof Snapshots snapshots) {
      CronSchedule schedule;
      try {
        schedule = CronSchedule.parse(s.snapshotSchedule());
      } catch (IllegalArgumentException e) {
        throw new UserError("--snapshot-schedule: " + e.getMessage(), e);
      }
      started.add(
          SnapshotSchedule.start(
              (Snapshots) store, s.snapshotDir(), schedule, s.snapshotRetention()));
      log.info(
          "snapshots: \"{}\" into {}, keeping {}",
          s.snapshotSchedule(),
          s.snapshotDir(),
          s.snapshotRetention());
    }

    // Once encryption was enabled (skiff secrets-encrypt), secrets stay encrypted: the API server
    // sees plaintext, the store and its snapshots only ciphertext.
    Path encryption = s.dataDir().resolve(EncryptionConfiguration.FILE);
    if (Files.exists(encryption)) {
      EncryptingStore encrypting = EncryptingStore.open(store, encryption);
      started.add(encrypting);
      store = encrypting;
      log.info("secrets encrypted at rest with {}", encrypting.configuration().primary());
    }

    ClusterPki.Leaf serving = pki.serving(dnsNames(s.tlsSans()), ipSans(s));
    var config =
        new ApiServerConfig(
                s.bindAddress(),
                s.port(),
                pki.keyStore(serving),
                ClusterPki.keyStorePassword(),
                pki.clientCaTrustStore(),
                KUBERNETES_SERVICE_IP)
            .withAuth(AuthOptions.forDataDir(s.dataDir()))
            .withKubeletClient(
                pki.keyStore(
                    pki.client(
                        "apiserver-kubelet-client",
                        "kube-apiserver-kubelet-client",
                        List.of("system:masters"))),
                ClusterPki.keyStorePassword());
    apiServer = new ApiServer(config, store, new BuiltinRegistry());
    apiServer.setMetricResolution(s.metricResolution());
    // The dashboard's files are public at /ui/; its API calls carry the user's own token.
    apiServer.addPublicHandler(new DashboardHandler());
    try {
      apiServer.start();
    } catch (Exception e) {
      if (hasCause(e, BindException.class)) {
        throw new UserError(
            "port "
                + s.port()
                + " on "
                + s.bindAddress()
                + " is already in use; stop what uses it or pass --https-listen-port",
            e);
      }
      throw e;
    }
    started.add(apiServer);
    log.info("API server listening on https://{}:{}", s.bindAddress(), apiServer.port());

    String host = s.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : s.bindAddress();
    clients = new ComponentClients(pki, "https://" + host + ":" + apiServer.port());
    KubernetesClient endpointsClient =
        clients.forUser("apiserver-loopback", "system:apiserver", List.of("system:masters"));
    started.add(endpointsClient);
    started.add(
        ApiServerEndpoints.start(
            endpointsClient, election, election.holderIdentity(), apiServer.port()));
    KubernetesClient schedulerClient =
        clients.forUser("kube-scheduler", "system:kube-scheduler", List.of());
    started.add(schedulerClient);
    var scheduler =
        new Scheduler(
            schedulerClient,
            KubeSchedulerConfiguration.defaults()
                .withLeaderElection(
                    new SchedulerConfiguration.LeaderElection(
                        true,
                        election.leaseDuration(),
                        election.renewDeadline(),
                        election.retryPeriod(),
                        "kube-system",
                        "kube-scheduler")),
            election.holderIdentity());
    scheduler.start();
    started.add(scheduler);
    log.info("scheduler started");

    KubernetesClient controllersClient =
        clients.forUser("kube-controller-manager", "system:kube-controller-manager", List.of());
    started.add(controllersClient);
    var controllers =
        new ControllerManager(
            controllersClient,
            ControllerManagerOptions.defaults(election.holderIdentity())
                .withLeaderElection(
                    election.leaseDuration(), election.renewDeadline(), election.retryPeriod())
                .withControllers(
                    s.disabledComponents().contains(SERVICE_LB)
                        ? Set.of("*", "-service-lb-controller")
                        : Set.of("*"))
                .withRootCaBundle(Pem.encode(pki.caCertificate()))
                .withLocalPathDir(s.dataDir().resolve("local-path"))
                .withHorizontalPodAutoscalerSyncPeriod(s.horizontalPodAutoscalerSyncPeriod())
                .withCsrSigningCa(
                    new SigningCa(pki.caCertificate(), pki.caKey(), SigningCa.DEFAULT_VALIDITY)));
    controllers.start();
    started.add(controllers);
    log.info("controller manager started");
  }

  /**
   * Runs the cluster DNS on {@code address}:53 for a control plane without a node of its own, where
   * joined nodes' pods reach it through the {@code kube-dns} Service. Its answers go back to those
   * pods over host-gw routes to every node's pod range, with the blackholes that keep cluster
   * traffic on this machine, as on a node.
   */
  public void startClusterDns(String address) {
    try {
      KubernetesClient routesClient = clients.forUser("kube-proxy", "system:kube-proxy", List.of());
      started.add(routesClient);
      // No Node is named "": every node's range is another's.
      var routes =
          new NodeRouteController(
              routesClient,
              HostGwRouteProgrammer.host(),
              "",
              NodeAgent.CLUSTER_CIDR,
              NodeAgent.SERVICE_CIDR);
      routes.start();
      started.add(routes);
      started.addAll(ClusterDnsServer.start(clients, address));
      log.info("cluster DNS on {}:53 behind {}", address, NodeAgent.CLUSTER_DNS_IP);
    } catch (RuntimeException | IOException e) {
      throw new UserError("cannot serve cluster DNS on " + address + ":53: " + rootMessage(e), e);
    }
  }

  /** Writes the API server's audit log to {@code file} from now on, until the plane closes. */
  public void auditTo(Path file) {
    AuditLog audit;
    try {
      audit = AuditLog.open(file);
    } catch (java.io.UncheckedIOException e) {
      throw new UserError(e.getMessage(), e);
    }
    started.add(audit);
    apiServer.setAuditLog(audit);
    log.info("audit log: {}", file);
  }

  /** Clients for node components of this process, each with its own certificate. */
  public ComponentClients clients() {
    return clients;
  }

  public int apiPort() {
    return apiServer.port();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", rootMessage(e));
      }
    }
    started.clear();
  }

  /** The bind address, or this machine's address when bound to all. */
  static String advertiseAddress(Settings s) {
    return s.bindAddress().equals("0.0.0.0") ? NodeAddress.detect() : s.bindAddress();
  }

  static List<String> dnsNames(List<String> tlsSans) {
    List<String> names =
        new ArrayList<>(
            List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local"));
    names.add(hostName());
    tlsSans.stream().filter(n -> !isIpLiteral(n)).forEach(names::add);
    return names.stream().distinct().toList();
  }

  static List<InetAddress> ipSans(Settings s) throws UnknownHostException {
    List<InetAddress> ips = new ArrayList<>();
    ips.add(InetAddress.getByName("127.0.0.1"));
    ips.add(InetAddress.getByName(KUBERNETES_SERVICE_IP));
    if (!s.bindAddress().equals("0.0.0.0")) {
      ips.add(InetAddress.getByName(s.bindAddress()));
    }
    for (String san : s.tlsSans()) {
      if (isIpLiteral(san)) {
        ips.add(InetAddress.getByName(san));
      }
    }
    return ips.stream().distinct().toList();
  }

  /** This machine's name, as the kernel knows it (no DNS lookup, which may hang offline). */
  public static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") || s.contains(":");
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }
}
