package dev.vigil.catalog;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.Migrations;
import dev.vigil.catalog.order.OrderApi;
import dev.vigil.catalog.order.OrderOutcomes;
import dev.vigil.catalog.order.OrderReconciler;
import dev.vigil.catalog.order.OrderRepository;
import dev.vigil.catalog.order.OrderSettlement;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.pipeline.DataPipeline;
import dev.vigil.catalog.pipeline.PipelineApi;
import dev.vigil.catalog.product.ProductApi;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.catalog.product.ProductRepository;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.lifecycle.GracefulStop;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running catalog: database, migrations, HTTP server, and its graceful stop.
 *
 * <p>Stopping (on SIGTERM) marks the service as shutting down, so {@code /readyz} answers 503 at once;
 * then the server stops accepting connections, lets in-flight requests finish within
 * {@code VIGIL_SHUTDOWN_GRACE}, sends the order confirmations still queued, closes the database and
 * exports the spans still buffered. An order acknowledged with 201 was committed before its response
 * was written and its confirmation queued, so none is lost.
 */
public final class CatalogServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogServer.class);

  private final TelemetryPlugin telemetry;
  private final Tracing tracing;
  private final Database database;
  private final Migrations migrations;
  private final ConfirmationQueue confirmations;
  private final OrderReconciler reconciler;
  private final Javalin app;
  private final GracefulStop stop = new GracefulStop(this::shutdown);

  private CatalogServer(TelemetryPlugin telemetry, Tracing tracing, Database database, Migrations migrations,
      ConfirmationQueue confirmations, OrderReconciler reconciler, Javalin app) {
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
   * background when the database is down), starts the HTTP server meanwhile, and returns once the first
   * migration attempt has finished. {@code /readyz} answers 503 until the schema is current. Tracing
   * is configured from the {@code OTEL_*} environment variables when the {@code tracing} switch is on.
   *
   * @param config the configuration
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static CatalogServer start(CatalogConfig config) {
    Tracing tracing = config.telemetry().tracing()
        ? Tracing.fromEnvironment("catalog", System.getenv())
        : Tracing.off();
    TelemetryPlugin telemetry = new TelemetryPlugin(config.telemetry()).tracing(tracing);
    Database database = new Database(config, telemetry.registry(), tracing);
    Migrations migrations = new Migrations(database);
    ConfirmationQueue confirmations = new ConfirmationQueue(config.confirmationCapacity(),
        config.confirmationDelay(), tracing, telemetry.registry());
    CatalogServer server;
    try {
      migrations.startInBackground();
      telemetry.health().register("database", database::check);
      telemetry.health().register("migrations", migrations::check);
      PaymentClient payments = new PaymentClient(config.paymentsUrl(), config.paymentsTimeout(),
          config.paymentsBreakerWait(), tracing, telemetry.registry());
      telemetry.health().register("payments", payments::health);

      ProductRepository productRepository = new ProductRepository(database);
      ProductCache productCache = new ProductCache(productRepository, telemetry.registry(), tracing);
      OrderRepository orderRepository = new OrderRepository(database);
      OrderOutcomes outcomes = new OrderOutcomes(telemetry.registry());
      OrderSettlement settlement = new OrderSettlement(orderRepository, payments, productCache, confirmations,
          outcomes);
      // a request may spend every attempt's timeout plus the backoff on its payment, then settle it
      Duration minAge = config.paymentsTimeout().multipliedBy(PaymentClient.MAX_ATTEMPTS + 2)
          .plus(Duration.ofSeconds(1));
      OrderReconciler reconciler = new OrderReconciler(orderRepository, settlement, config.reconcileInterval(),
          minAge, telemetry.registry());
      Javalin app = App.create(
          telemetry,
          new ProductApi(productRepository, productCache),
          new OrderApi(orderRepository, productCache, payments, confirmations, settlement, outcomes, tracing,
              config.reconcileInterval()),
          new PipelineApi(new DataPipeline(telemetry.registry())),
          config.host(),
          config.port(),
          config.shutdownGrace());
      app.start();
      reconciler.start(() -> isHealthy(migrations));
      server = new CatalogServer(telemetry, tracing, database, migrations, confirmations, reconciler, app);
    } catch (RuntimeException e) {
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

  /**
   * Stops gracefully: not ready at once, in-flight requests finish within the grace period, then the
   * database closes. Safe to call more than once and from any thread; later calls wait for the first.
   */
  public void stopGracefully() {
    stop.stop();
  }

  /** From now on SIGTERM and SIGINT stop the service gracefully (then {@link #awaitStopped()} returns). */
  public void stopOnTerminationSignals() {
    stop.onTerminationSignals();
  }

  private void shutdown() {
    telemetry.health().markShuttingDown();
    LOG.info("shutting down: readiness is now 503, draining in-flight requests");
    app.stop();
    reconciler.close();
    confirmations.drain(Duration.ofSeconds(10));
    migrations.stopRetrying();
    database.close();
    tracing.close();
    LOG.info("catalog stopped");
  }

  /** Blocks until {@link #stopGracefully()} has finished. */
  public void awaitStopped() {
    stop.await();
  }

  @Override
  public void close() {
    stopGracefully();
  }
}
