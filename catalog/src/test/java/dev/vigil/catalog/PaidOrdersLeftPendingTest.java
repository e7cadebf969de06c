package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.product.StartingCatalogue;
import dev.vigil.payments.Faults;
import dev.vigil.payments.Ledger;
import dev.vigil.payments.Payment;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The "paid orders left pending forever": the provider captures the payment, then
 * confirming the order fails because the pool is exhausted (here DB_POOL_SIZE=1: the orders' rows
 * are held by someone else, so the first confirmation waits with the only connection and the next
 * ones find none within DB_POOL_TIMEOUT). The client must be told the truth (202 with the order's
 * URL, never a 5xx), and the reconciler must confirm every such order; afterwards the provider's
 * ledger and the database agree one to one and stock is conserved. (The reconciler takes an order
 * once it is 11 s old: the payment timeout times five plus 1 s.)
 */
class PaidOrdersLeftPendingTest {

  private static final int ORDERS = 3;
  private static final long PRODUCT = 7;

  @Test
  void paidOrdersWhoseConfirmationFindsNoConnectionAreAnswered202AndConfirmedByTheReconciler()
      throws Exception {
    Ledger ledger = new Ledger();
    try (PostgresServer postgres = PostgresServer.start();
        PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
                Map.of(),
                ledger);
        CatalogServer catalog =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT", "0",
                        "VIGIL_DB_URL", postgres.jdbcUrl(),
                        "VIGIL_DB_USER", "postgres",
                        "DB_POOL_SIZE", "1",
                        "DB_POOL_TIMEOUT", "1000",
                        "VIGIL_PAYMENTS_URL", "http://127.0.0.1:" + payments.port(),
                        "VIGIL_PAYMENTS_TIMEOUT", "3s",
                        "VIGIL_RECONCILE_INTERVAL", "500ms",
                        "VIGIL_TELEMETRY", "metrics")));
        CatalogClient client = new CatalogClient(catalog.port());
        ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
      // each payment takes 2 s (under the 3 s timeout): time to store the next orders meanwhile
      payments.faults().set(new Faults.Setting(0, Duration.ofMillis(2000)));
      List<Future<HttpResponse<String>>> placed = new ArrayList<>();
      List<Integer> statuses = new ArrayList<>();
      try (Connection holder = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
          Statement lock = holder.createStatement()) {
        holder.setAutoCommit(false);
        for (int i = 1; i <= ORDERS; i++) {
          placed.add(
              buyers.submit(
                  () ->
                      client.postJson(
                          "/api/orders",
                          "{\"items\":[{\"product_id\":"
                              + PRODUCT
                              + ",\"quantity\":1}],\"payment_method\":\"card\"}")));
          assertThat(awaitCount(postgres, "SELECT COUNT(*) FROM orders", i))
              .as("order %d stored pending, its payment in flight", i)
              .isEqualTo(i);
          // Someone else holds the stored orders' rows: the first confirmation waits for them with
          // the pool's only connection, the next ones find no connection within DB_POOL_TIMEOUT.
          lock.execute("SELECT id FROM orders FOR UPDATE");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (captured(ledger) < ORDERS && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        while (placed.stream().filter(Future::isDone).count() < ORDERS - 1
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        holder.rollback();
      }
      // the provider answers at once again: the reconciler's look-ups are not slowed
      payments.faults().set(Faults.Setting.NONE);
      for (Future<HttpResponse<String>> answer : placed) {
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        statuses.add(response.statusCode());
        assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
        if (response.statusCode() == 202) {
          assertThat(response.headers().firstValue("Location")).isPresent();
          assertThat(response.body()).doesNotContain("nothing was charged");
        }
      }
      assertThat(statuses)
          .as("the fault happened: paid orders whose confirmation found no connection")
          .contains(202);

      assertThat(
              awaitCount(postgres, "SELECT COUNT(*) FROM orders WHERE status <> 'pending'", ORDERS))
          .as("the reconciler settled every order left pending")
          .isEqualTo(ORDERS);
      Map<String, Long> confirmed = new HashMap<>();
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT status, payment_key, total_cents FROM orders")) {
        while (rs.next()) {
          assertThat(rs.getString(1)).as("every paid order confirmed").isEqualTo("confirmed");
          confirmed.put(rs.getString(2), rs.getLong(3));
        }
      }
      Map<String, Long> captures = new HashMap<>();
      for (Payment p : ledger.payments()) {
        if (p.status().equals(Payment.CAPTURED)) {
          captures.put(p.idempotencyKey(), p.amountCents());
        }
      }
      assertThat(captures)
          .as("captured payments and confirmed orders match one to one, with the same amounts")
          .isEqualTo(confirmed);
      assertThat(
              queryLong(
                  postgres,
                  "SELECT stock + (SELECT SUM(quantity) FROM order_items WHERE product_id = "
                      + PRODUCT
                      + ") FROM products WHERE id = "
                      + PRODUCT))
          .as("stock conserved: initial = current + sold")
          .isEqualTo(StartingCatalogue.product(PRODUCT).stock());
      assertThat(client.metric("orders_total", "status", "confirmed", "payment_method", "card"))
          .as("every outcome visible: the reconciled orders counted as confirmed")
          .isEqualTo(ORDERS);
    }
  }

  private static long captured(Ledger ledger) {
    return ledger.payments().stream().filter(p -> p.status().equals(Payment.CAPTURED)).count();
  }

  /** The query's single number once it equals {@code expected}, or its last value after 30 s. */
  private static long awaitCount(PostgresServer postgres, String sql, long expected)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = queryLong(postgres, sql);
    while (last != expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = queryLong(postgres, sql);
    }
    return last;
  }

  /** The query's single number, read on a connection of its own; -1 when the query fails. */
  private static long queryLong(PostgresServer postgres, String sql) {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }
}
