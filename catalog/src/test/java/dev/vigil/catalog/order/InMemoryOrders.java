package dev.vigil.catalog.order;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.Migrations;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.catalog.product.ProductRepository;
import dev.vigil.catalog.product.StartingCatalogue;
import dev.vigil.payments.Faults;
import dev.vigil.payments.Ledger;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The order code wired as {@code CatalogServer} wires it, in this JVM and without HTTP in front of
 * it: the real schema (Flyway's migrations) in a private in-memory H2 database, and the real
 * payment provider ({@link PaymentsServer}, on a free loopback port) behind the real {@link
 * PaymentClient}. Tests drive the settlement, the reconciler and the refund audit directly and read
 * the truth from outside the order code: the provider's {@link Ledger}, the {@code products} and
 * {@code orders} rows by plain SQL, and the registry's metrics. The confirmation worker is stalled,
 * so every confirmation queued stays visible in {@link ConfirmationQueue#depth()}.
 */
final class InMemoryOrders implements AutoCloseable {

  /** The reconciler's interval and min age in these tests (passes are run by hand). */
  static final Duration INTERVAL = Duration.ofSeconds(30);

  static final Duration MIN_AGE = Duration.ofSeconds(60);

  final PaymentsServer provider;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final ErrorTracker errors = ErrorTracker.builder().service("catalog").registry(registry).build();
  final Database database;
  final ProductRepository products;
  final OrderRepository repository;
  final ConfirmationQueue confirmations;
  final PaymentClient payments;
  final OrderOutcomes outcomes;
  final OrderSettlement settlement;
  final RefundAudit refunds;
  final OrderReconciler reconciler;

  /** A fresh database and provider, the confirmation queue holding at most {@code capacity}. */
  InMemoryOrders(int capacity) {
    provider =
        PaymentsServer.start(
            PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
            Map.of());
    CatalogConfig config =
        CatalogConfig.fromEnvironment(
            Map.of(
                "VIGIL_TELEMETRY",
                "none",
                "VIGIL_DB_URL",
                "jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    database = new Database(config, registry, Tracing.off());
    Migrations migrations = new Migrations(database, errors, new StartingCatalogue());
    migrations.startInBackground();
    try {
      if (!migrations.awaitFirstAttempt()) {
        throw new IllegalStateException("the schema did not migrate: " + migrations);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    products = new ProductRepository(database);
    repository = new OrderRepository(database);
    confirmations =
        new ConfirmationQueue(capacity, Duration.ZERO, Tracing.off(), registry, () -> true, errors);
    payments =
        new PaymentClient(
            URI.create("http://127.0.0.1:" + provider.port()),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Tracing.off(),
            registry,
            null);
    outcomes = new OrderOutcomes(registry);
    ProductCache cache = new ProductCache(products, registry, Tracing.off());
    settlement = new OrderSettlement(repository, payments, cache, confirmations, outcomes);
    refunds = new RefundAudit(repository, payments, registry);
    reconciler =
        new OrderReconciler(repository, settlement, INTERVAL, MIN_AGE, registry, errors, refunds);
  }

  /** The provider's own book of payments. */
  Ledger ledger() {
    return provider.ledger();
  }

  /** Makes the provider answer every call 503 (true) or normally (false). */
  void providerDown(boolean down) {
    provider.faults().set(down ? new Faults.Setting(1, Duration.ZERO) : Faults.Setting.NONE);
  }

  /** A new product with this price (cents) and stock; its id. */
  long product(long priceCents, int stock) throws SQLException {
    return products.create("Test product", "Music", priceCents, stock).id();
  }

  /**
   * A pending order as a request leaves it before paying, {@code ageMs} old: the stock taken, a
   * fresh payment key.
   */
  Order pending(long ageMs, Map<Long, Integer> quantities, String method) throws SQLException {
    Map<Long, String> fields = new TreeMap<>();
    quantities.keySet().forEach(id -> fields.put(id, "items[0].product_id"));
    return repository.reserve(
        new TreeMap<>(quantities),
        fields,
        method,
        UUID.randomUUID().toString(),
        null,
        null,
        System.currentTimeMillis() - ageMs);
  }

  /** A pending order of {@code quantity} units of one product, paid by card, {@code ageMs} old. */
  Order pending(long ageMs, long productId, int quantity) throws SQLException {
    return pending(ageMs, Map.of(productId, quantity), "card");
  }

  /** The stock of a product as stored, read by plain SQL. */
  int stock(long productId) throws SQLException {
    return (int) number("SELECT stock FROM products WHERE id = ?", productId);
  }

  /** The status of an order as stored, read by plain SQL. */
  String status(long orderId) throws SQLException {
    return text("SELECT status FROM orders WHERE id = ?", orderId);
  }

  /** The provider's payment id recorded on an order, read by plain SQL ({@code null}: none). */
  String paymentId(long orderId) throws SQLException {
    return text("SELECT payment_id FROM orders WHERE id = ?", orderId);
  }

  /** How many orders have this status, read by plain SQL. */
  long count(String status) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE status = ?")) {
      ps.setString(1, status);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long number(String sql, long id) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("no row for " + id + ": " + sql);
        }
        return rs.getLong(1);
      }
    }
  }

  private String text(String sql, long id) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("no row for " + id + ": " + sql);
        }
        return rs.getString(1);
      }
    }
  }

  /**
   * Whether a scrape shows at least one data point of this metric (name without {@code _total}).
   */
  boolean exported(String name) {
    return registry.scrape().stream()
        .anyMatch(m -> m.getMetadata().getName().equals(name) && !m.getDataPoints().isEmpty());
  }

  /**
   * The value of a counter or gauge data point in the registry, as a scrape shows it; 0 when the
   * series does not exist.
   *
   * @param name the metric's name without {@code _total}
   * @param labels name, value, name, value...
   */
  double metric(String name, String... labels) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labels.length; i += 2) {
          match &= labels[i + 1].equals(point.getLabels().get(labels[i]));
        }
        if (match) {
          return switch (point) {
            case CounterSnapshot.CounterDataPointSnapshot c -> c.getValue();
            case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getValue();
            default -> throw new IllegalArgumentException(name + " is not a counter or gauge");
          };
        }
      }
    }
    return 0;
  }

  /** The payments the provider holds, as statuses in key order of first sight. */
  List<String> providerStatuses() {
    return ledger().payments().stream().map(p -> p.status()).toList();
  }

  @Override
  public void close() {
    reconciler.close();
    confirmations.drain(Duration.ZERO);
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement shutdown = c.prepareStatement("SHUTDOWN")) {
      shutdown.execute(); // frees the in-memory database (DB_CLOSE_DELAY=-1 keeps it otherwise)
    } catch (SQLException e) {
      // a test closed the database already
    }
    database.close();
    provider.close();
  }
}
