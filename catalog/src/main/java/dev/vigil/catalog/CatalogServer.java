package dev.vigil.catalog;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.Migrations;
import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.catalog.order.OrderApi;
import dev.vigil.catalog.order.OrderOutcomes;
import dev.vigil.catalog.order.OrderReconciler;
import dev.vigil.catalog.order.OrderRepository;
import dev.vigil.catalog.order.OrderSettlement;
import dev.vigil.catalog.order.RefundAudit;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.pipeline.DataPipeline;
import dev.vigil.catalog.pipeline.PipelineApi;
import dev.vigil.catalog.product.ProductApi;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.catalog.product.ProductRepository;
import dev.vigil.catalog.product.StartingCatalogue;
import dev.vigil.catalog.rum.RumBeacon;
import dev.vigil.catalog.shop.Storefront;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.admin.AdminServer;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.errors.ErrorsEndpoint;
import dev.vigil.telemetry.lifecycle.GracefulService;
import dev.vigil.telemetry.profiling.ProfileEndpoint;
import dev.vigil.telemetry.profiling.ProfileRecorder;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running catalog: database, migrations, HTTP server, and its graceful stop.
 *
 * <p>Stopping (on SIGTERM) marks the service as shutting down, so {@code /readyz} answers 503 at
 * once; then the server stops accepting connections, lets in-flight requests finish within {@code
 * VIGIL_SHUTDOWN_GRACE}, sends the order confirmations still queued, closes the database and
 * exports the spans still buffered. An order acknowledged with 201 was committed before its
 * response was written and its confirmation queued, so none is lost.
 */
public final class CatalogServer extends GracefulService {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogServer.class);

  private final TelemetryPlugin telemetry;
  private final Tracing tracing;
  private final Database database;
  private final Migrations migrations;
  private final ConfirmationQueue confirmations;
  private final OrderReconciler reconciler;
  private final Javalin app;
  private final Duration drain;
  private final AdminServer admin;
  private final CatalogFaults faults;
  private volatile boolean drainOnStop;

  private CatalogServer(
      TelemetryPlugin telemetry,
      Tracing tracing,
      Database database,
      Migrations migrations,
      ConfirmationQueue confirmations,
      OrderReconciler reconciler,
      Javalin app,
      Duration drain,
      AdminServer admin,
      CatalogFaults faults) {
    this.admin = admin;
    this.faults = faults;
    this.drain = drain;
    this.confirmations = confirmations;
    this.reconciler = reconciler;
    this.telemetry = telemetry;
    this.tracing = tracing;
    this.database = database;
    this.migrations = migrations;
    this.app = app;
  }

  /**
   * Starts the catalog: opens the pool, starts the migrations on their own thread (retrying in the
   * background when the database is down), starts the HTTP server meanwhile, and returns once the
   * first migration attempt has finished. {@code /readyz} answers 503 until the schema is current.
   * No admin API, and no {@code OTEL_*} or {@code SENTRY_*} variables: tracing and error forwarding
   * use their defaults (for tests and embedded use).
   *
   * @param config the configuration
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static CatalogServer start(CatalogConfig config) {
    return start(config, AdminConfig.loopback(0, null, "admin"), Map.of());
  }

  /**
   * Starts the catalog as {@link #start(CatalogConfig)} does, with its admin API ({@code
   * /admin/faults}) on its own port when {@code admin} has a token.
   *
   * @param config the configuration
   * @param admin the admin API's address and token ({@code VIGIL_ADMIN_*}); without a token it does
   *     not listen
   * @param env the environment for OpenTelemetry's {@code OTEL_*} variables (when the {@code
   *     tracing} switch is on) and error forwarding's {@code SENTRY_*}, usually {@code
   *     System.getenv()}
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port or the admin port is taken
   */
  public static CatalogServer start(
      CatalogConfig config, AdminConfig admin, Map<String, String> env) {
    Tracing tracing =
        config.telemetry().tracing() ? Tracing.fromEnvironment("catalog", env) : Tracing.off();
    TelemetryPlugin telemetry =
        new TelemetryPlugin(config.telemetry())
            .tracing(tracing)
            .errorTracking(
                ErrorTracker.fromEnvironment(
                        "catalog", App.class.getPackage().getImplementationVersion(), env)
                    .dataDir(config.dataDir()));
    CatalogFaults faults = new CatalogFaults(telemetry.registry(), telemetry.errors());
    Database database = new Database(config, telemetry.registry(), tracing, faults);
    Migrations migrations = new Migrations(database, telemetry.errors(), new StartingCatalogue());
    ConfirmationQueue confirmations =
        new ConfirmationQueue(
            config.confirmationCapacity(),
            config.confirmationDelay(),
            tracing,
            telemetry.registry(),
            faults::workerStalled,
            telemetry.errors());
    CatalogServer server;
    AdminServer adminServer = null;
    try {
      migrations.startInBackground();
      telemetry.health().register("database", database::check);
      telemetry.health().register("migrations", migrations::check);
      PaymentClient payments =
          new PaymentClient(
              config.paymentsUrl(),
              config.paymentsTimeout(),
              config.paymentsBreakerWait(),
              tracing,
              telemetry.registry(),
              config.paymentsToken());
      telemetry.health().register("payments", payments::health);

      ProductRepository productRepository = new ProductRepository(database);
      ProductCache productCache =
          new ProductCache(
              productRepository,
              telemetry.registry(),
              tracing,
              faults::cacheDisabled,
              database::knownDown,
              com.github.benmanes.caffeine.cache.Ticker.systemTicker());
      OrderRepository orderRepository = new OrderRepository(database);
      OrderOutcomes outcomes = new OrderOutcomes(telemetry.registry());
      OrderSettlement settlement =
          new OrderSettlement(orderRepository, payments, productCache, confirmations, outcomes);
      // a request may spend every attempt's timeout plus the backoff on its payment, then settle it
      Duration minAge =
          config
              .paymentsTimeout()
              .multipliedBy(PaymentClient.MAX_ATTEMPTS + 2)
              .plus(Duration.ofSeconds(1));
      OrderReconciler reconciler =
          new OrderReconciler(
              orderRepository,
              settlement,
              config.reconcileInterval(),
              minAge,
              telemetry.registry(),
              telemetry.errors(),
              new RefundAudit(orderRepository, payments, telemetry.registry()));
      Javalin app =
          App.create(
              telemetry,
              new ProductApi(productRepository, productCache),
              new OrderApi(
                  orderRepository,
                  productCache,
                  payments,
                  confirmations,
                  settlement,
                  outcomes,
                  tracing,
                  config.reconcileInterval()),
              new PipelineApi(new DataPipeline(telemetry.registry())),
              new Storefront(),
              new RumBeacon(telemetry.registry()),
              config.host(),
              config.port(),
              config.shutdownGrace(),
              config.maxConcurrentRequests(),
              faults,
              config.bodyDeadline(),
              config.maxConnectionsPerClient());
      faults.declareRoutes(app);
      adminServer =
          AdminServer.builder(admin)
              .faults(faults.registry())
              .endpoint(HandlerType.GET, "/admin/errors", new ErrorsEndpoint(telemetry.errors()))
              .endpoint(
                  HandlerType.POST,
                  "/admin/profile",
                  new ProfileEndpoint(ProfileRecorder.inDataDir(config.dataDir(), "catalog")))
              .build();
      app.start();
      reconciler.start(() -> isHealthy(migrations));
      server =
          new CatalogServer(
              telemetry,
              tracing,
              database,
              migrations,
              confirmations,
              reconciler,
              app,
              config.shutdownDrain(),
              adminServer,
              faults);
    } catch (RuntimeException e) {
      if (adminServer != null) {
        adminServer.close();
      }
      faults.close();
      migrations.stopRetrying();
      confirmations.drain(Duration.ZERO);
      database.close();
      tracing.close();
      throw e;
    }
    awaitFirstMigration(migrations, server);
    // Logged once the first migration attempt is over, as before migrations overlapped the server's
    // start: tools and tests take this line as "started".
    LOG.atInfo()
        .addKeyValue("url", "http://" + config.host() + ":" + server.port() + "/")
        .log("catalog listening on http://{}:{}/ ({})", config.host(), server.port(), config);
    return server;
  }

  private static boolean isHealthy(Migrations migrations) {
    try {
      migrations.check();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static void awaitFirstMigration(Migrations migrations, CatalogServer server) {
    try {
      migrations.awaitFirstAttempt();
    } catch (InterruptedException e) {
      server.stopGracefully();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the schema migrations were starting", e);
    }
  }

  /** The TCP port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The admin API, which listens only when a token was configured. */
  public AdminServer admin() {
    return admin;
  }

  /** The catalog's injected faults (what the admin API changes). */
  public CatalogFaults faults() {
    return faults;
  }

  /**
   * From now on SIGTERM and SIGINT stop the service gracefully (then {@link #awaitStopped()}
   * returns), after the drain delay ({@code VIGIL_SHUTDOWN_DRAIN}): readiness answers 503 at once,
   * and the listener keeps serving in-flight and arriving requests for that long, the time a load
   * balancer (a Kubernetes Service's endpoints) takes to stop routing here, before it closes.
   */
  @Override
  public void stopOnTerminationSignals() {
    drainOnStop = true;
    super.stopOnTerminationSignals();
  }

  /**
   * Not ready at once, the drain (after a signal), in-flight requests finish within the grace
   * period, queued confirmations are sent, then the database closes.
   */
  @Override
  protected void shutdown() {
    telemetry.health().markShuttingDown();
    if (drainOnStop && !drain.isZero()) {
      LOG.atInfo()
          .addKeyValue("drain_ms", drain.toMillis())
          .log(
              "shutting down: readiness is now 503; serving for {} ms more while load balancers stop routing here",
              drain.toMillis());
      try {
        Thread.sleep(drain);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("shutting down: closing the listener, draining in-flight requests");
    admin.close();
    app.stop();
    reconciler.close();
    confirmations.drain(Duration.ofSeconds(10));
    migrations.stopRetrying();
    database.close();
    telemetry.errors().close();
    tracing.close();
    faults.close();
    LOG.info("catalog stopped");
  }
}
