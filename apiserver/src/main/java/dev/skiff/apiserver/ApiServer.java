package dev.skiff.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.admission.AdmissionChain;
import dev.skiff.apiserver.allocation.ServiceAllocations;
import dev.skiff.apiserver.allocation.ServiceWrites;
import dev.skiff.apiserver.audit.AuditHandler;
import dev.skiff.apiserver.audit.AuditLog;
import dev.skiff.apiserver.auth.AccessControl;
import dev.skiff.apiserver.discovery.AggregatedDiscovery;
import dev.skiff.apiserver.discovery.DiscoveryDocuments;
import dev.skiff.apiserver.endpoints.ResourceHandler;
import dev.skiff.apiserver.endpoints.RestContext;
import dev.skiff.apiserver.http.ApiHandler;
import dev.skiff.apiserver.metrics.ApiServerMetrics;
import dev.skiff.apiserver.metrics.InstrumentedStore;
import dev.skiff.apiserver.metrics.MetricsHandler;
import dev.skiff.apiserver.metrics.RequestMetricsHandler;
import dev.skiff.apiserver.metrics.resource.KubeletScraper;
import dev.skiff.apiserver.metrics.resource.MetricsStore;
import dev.skiff.apiserver.metrics.resource.ResourceMetricsHandler;
import dev.skiff.apiserver.openapi.OpenApiHandler;
import dev.skiff.apiserver.proxy.KubeletClient;
import dev.skiff.apiserver.proxy.KubeletProxyHandler;
import dev.skiff.apiserver.registry.Bootstrap;
import dev.skiff.apiserver.registry.CachedNamespaceLookup;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ResourceDeleter;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Kubernetes API server: REST handlers over a {@link Store}, with a watch cache, discovery and
 * OpenAPI, on Jetty with HTTP/2 (ALPN over TLS, h2c in the clear) and HTTP/1.1. Handlers run on
 * virtual threads, so long watches cost no platform thread.
 */
public final class ApiServer implements AutoCloseable {
  /** Watches last up to an hour; connections must outlive quiet periods of a watch. */
  private static final long IDLE_TIMEOUT_MS = 65 * 60 * 1000L;

  /** How long a stop waits for requests in flight, as upstream's 60 s request timeout bounds. */
  private static final long STOP_TIMEOUT_MS = 30_000;

  private static final int WATCH_CACHE_CAPACITY = 10_000;

  /** Platform threads for selectors and acceptors; handlers run on virtual threads. */
  private static final int IO_THREADS = 16;

  private final ApiServerConfig config;
  private final Store store;
  private final ResourceRegistry registry;
  private final WatchCacheSet caches;
  private final ResourceType namespaces;
  private final ResourceStore resources;
  private final List<Handler> publicHandlers = new ArrayList<>();
  private GracefulHandler graceful;
  private Server server;
  private ServerConnector connector;
  private AccessControl access;
  private volatile AuditLog auditLog;
  private Duration metricResolution = KubeletScraper.DEFAULT_INTERVAL;
  private KubeletScraper scraper;
  private Object metricsSource;

  public ApiServer(ApiServerConfig config, Store store, ResourceRegistry registry) {
    this.config = config;
    store = new InstrumentedStore(store, ApiServerMetrics.storageTypes(registry));
    this.store = store;
    this.registry = registry;
    this.caches = new WatchCacheSet(store, registry, WATCH_CACHE_CAPACITY);
    this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
    this.resources =
        new ResourceStore(
            store,
            registry,
            new CachedNamespaceLookup(this::cachedNamespace, this::readNamespace),
            Clock.systemUTC());
    resources.setAdmission(
        AdmissionChain.standard(resources, registry, config.auth() != null, caches));
  }

  private Optional<ObjectNode> readNamespace(String name) {
    return resources.read(namespaces, "", name);
  }

  private Optional<ObjectNode> cachedNamespace(String name) {
    if (!caches.healthy()) {
      // A cache cut off from the store's watch may hold a namespace long deleted.
      return Optional.empty();
    }
    return caches
        .cache(namespaces)
        .get(resources.codec().key(namespaces, "", name))
        .map(CachedObject::object);
  }

  /**
   * Serves {@code handler} ahead of the API and outside authentication, for content that holds no
   * cluster data (the dashboard's static files); it must decline every path the API serves. Call
   * before {@link #start()}.
   */
  public synchronized void addPublicHandler(Handler handler) {
    publicHandlers.add(handler);
  }

  /**
   * Logs every request from now on to {@code log} ({@code --audit-log-path}); null stops logging.
   */
  public void setAuditLog(AuditLog log) {
    this.auditLog = log;
  }

  /** How often kubelets are scraped for the resource metrics API; set before {@link #start}. */
  public synchronized void setMetricResolution(Duration resolution) {
    this.metricResolution = resolution;
  }

  /** Loads the watch cache, starts serving, and creates the built-in objects if absent. */
  public synchronized void start() {
    caches.start();
    ResourceDeleter deleter = new ResourceDeleter(resources);
    ServiceAllocations allocations =
        new ServiceAllocations(
            store, config.serviceClusterIpRange(), config.serviceNodePortRange());
    allocations.repairFromStore(List.of(config.kubernetesServiceIp()));
    RestContext ctx =
        new RestContext(registry, resources, deleter, caches, new ServiceWrites(allocations));
    QueuedThreadPool pool = new QueuedThreadPool(IO_THREADS * 4, IO_THREADS);
    pool.setName("apiserver");
    // Blocking handlers (every request, and long watches) each get a virtual thread; Jetty's own
    // I/O stays on platform threads.
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    connector = connector(server);
    server.addConnector(connector);
    ApiHandler api =
        new ApiHandler(
            new ResourceHandler(ctx),
            new DiscoveryDocuments(registry),
            new AggregatedDiscovery(registry),
            this::port);
    KubeletClient kubeletClient =
        new KubeletClient(config.kubeletClientKeyStore(), config.kubeletClientKeyPassword());
    KubeletProxyHandler kubelets =
        new KubeletProxyHandler(
            (plural, ns, name) ->
                resources.read(registry.find("", "v1", plural).orElseThrow(), ns, name).map(o -> o),
            kubeletClient);
    MetricsStore usage = new MetricsStore();
    ResourceType nodes = registry.find("", "v1", "nodes").orElseThrow();
    scraper =
        new KubeletScraper(
            () ->
                caches.cache(nodes).list(WatchFilter.everything(nodes, "")).items().stream()
                    .<JsonNode>map(o -> o.object())
                    .toList(),
            kubeletClient,
            usage,
            metricResolution);
    Handler handlers =
        new Handler.Sequence(
            new OpenApiHandler(registry),
            new MetricsHandler(),
            kubelets,
            new ResourceMetricsHandler(registry, caches, usage, Clock.systemUTC()),
            api);
    if (config.auth() != null) {
      access = new AccessControl(config.auth(), registry, resources, caches);
      handlers = access.wrap(handlers);
    }
    if (!publicHandlers.isEmpty()) {
      List<Handler> all = new ArrayList<>(publicHandlers);
      all.add(handlers);
      handlers = new Handler.Sequence(all);
    }
    // WebSocket upgrades (watches from clients such as fabric8) need the server's container.
    org.eclipse.jetty.websocket.server.ServerWebSocketContainer.ensure(server);
    handlers = new AuditHandler(() -> auditLog, Clock.systemUTC(), handlers);
    // Stopping refuses new requests (503) and lets those in flight finish, as upstream drains.
    graceful = new GracefulHandler(new RequestMetricsHandler(handlers));
    server.setHandler(graceful);
    server.setStopTimeout(STOP_TIMEOUT_MS);
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot start the API server: " + e.getMessage(), e);
    }
    Bootstrap.run(resources, registry, config.kubernetesServiceIp(), port());
    if (access != null) {
      access.start();
    }
    scraper.start();
    metricsSource = ApiServerMetrics.register(store, registry, caches);
  }

  private ServerConnector connector(Server server) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    ServerConnector c;
    if (config.tls()) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients connect by IP or by any name in the certificate; SNI checks would refuse them.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(config.serverKeyStore());
      ssl.setKeyStorePassword(new String(config.keyPassword()));
      ssl.setKeyManagerPassword(new String(config.keyPassword()));
      if (config.clientCaTrustStore() != null) {
        ssl.setTrustStore(config.clientCaTrustStore());
        ssl.setWantClientAuth(true);
      }
      ssl.setSniRequired(false);
      HttpConnectionFactory h1 = new HttpConnectionFactory(http);
      HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
      h2.setMaxConcurrentStreams(1000);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(h1.getProtocol());
      c =
          new ServerConnector(
              server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
    } else {
      HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
      h2c.setMaxConcurrentStreams(1000);
      c = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
    }
    c.setHost(config.bindAddress());
    c.setPort(config.port());
    c.setIdleTimeout(IDLE_TIMEOUT_MS);
    return c;
  }

  /** The port actually bound. */
  public int port() {
    return connector == null ? config.port() : connector.getLocalPort();
  }

  /** The storage codec, for tools that read stored objects directly. */
  public Codec codec() {
    return resources.codec();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      if (graceful != null) {
        graceful.shutdown();
        // Watches never finish on their own: end them so the drain waits only for requests that do.
        caches.terminateWatches();
      }
      try {
        server.stop();
      } catch (Exception e) {
        // Stopping is best effort; the store and caches are closed regardless.
      }
    }
    if (access != null) {
      access.close();
    }
    if (scraper != null) {
      scraper.close();
    }
    if (metricsSource != null) {
      ApiServerMetrics.unregister(metricsSource);
    }
    caches.close();
  }
}
