package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.product.StartingCatalogue;
import dev.vigil.payments.Faults;
import dev.vigil.payments.Ledger;
import dev.vigil.payments.Payment;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: the catalog as a real process on a real PostgreSQL, the payment provider over
 * HTTP, buyers placing orders throughout (each retrying with its own {@code Idempotency-Key}), and
 * one fault after another. After each scenario, once the reconciler has settled what was left
 * pending, the invariants are checked from the database and the provider's ledger, not from
 * the catalog's answers:
 *
 * <ol>
 *   <li>every acknowledged order (201 or 202) exists;
 *   <li>no order stays pending past the reconciler's period;
 *   <li>every captured payment belongs to exactly one confirmed order of the same amount, and every
 *       confirmed order to exactly one captured payment;
 *   <li>stock is conserved: initial = current + sold (confirmed lines).
 * </ol>
 *
 * Figures (orders acknowledged per scenario, time to settle) are printed as {@code FIGURE} lines.
 */
class FaultSuiteTest {

  private static final int PRODUCTS = 20;
  private static final int BUYERS = 8;

  /** How long the database is stopped: the 30 s, longer than any pool or breaker timer. */
  private static final Duration DATABASE_OUTAGE = Duration.ofSeconds(30);

  private static final Pattern ORDER_ID = Pattern.compile("\"id\":(\\d+)");

  @TempDir Path dataDir;

  private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger catalogPort = new AtomicInteger();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

  /**
   * The distinct reasons of the 5xx answers, for the figures (the first 80 characters of each
   * detail).
   */
  private final Set<String> reasons = ConcurrentHashMap.newKeySet();

  private static final Pattern DETAIL = Pattern.compile("\"detail\":\"([^\"]{0,80})");

  @Test
  void underEveryFaultNoMoneyOrDataIsLostAndEveryOrderIsSettled() throws Exception {
    Ledger ledger = new Ledger();
    PaymentsConfig paymentsConfig =
        PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0);
    try (PostgresServer postgres = PostgresServer.start()) {
      PaymentsServer payments = PaymentsServer.start(paymentsConfig, Map.of(), ledger);
      int paymentsPort = payments.port();
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  "VIGIL_DB_URL",
                  postgres.jdbcUrl(),
                  "VIGIL_DB_USER",
                  "postgres",
                  "DB_POOL_SIZE",
                  "4",
                  "DB_POOL_TIMEOUT",
                  "500",
                  "VIGIL_PAYMENTS_URL",
                  "http://127.0.0.1:" + paymentsPort,
                  "VIGIL_PAYMENTS_TIMEOUT",
                  "1s",
                  "VIGIL_PAYMENTS_BREAKER_WAIT",
                  "2s",
                  "VIGIL_RECONCILE_INTERVAL",
                  "1s",
                  "VIGIL_SHUTDOWN_DRAIN",
                  "2s",
                  "VIGIL_TELEMETRY",
                  "metrics"));
      env.put("VIGIL_DATA_DIR", dataDir.toString());
      CatalogProcess catalog = CatalogProcess.start(env);
      catalogPort.set(catalog.port());
      current = new Current(catalog, payments);
      AtomicBoolean buying = new AtomicBoolean(true);
      try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor();
          HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
        for (int i = 0; i < BUYERS; i++) {
          buyers.submit(() -> buy(http, buying));
        }
        try {
          runScenarios(postgres, ledger, env, paymentsConfig, paymentsPort);
        } finally {
          buying.set(false); // else closing the executor waits for the buyers forever
        }
      } finally {
        current.catalog().process().toHandle().destroy();
        current.catalog().process().waitFor(60, TimeUnit.SECONDS);
        current.payments().close();
      }
      assertThat(acknowledged).as("orders acknowledged over the whole suite").isNotEmpty();
    }
  }

  /** The processes under test now (both are restarted by scenarios). */
  private record Current(CatalogProcess catalog, PaymentsServer payments) {}

  private Current current;

  private void runScenarios(
      PostgresServer postgres,
      Ledger ledger,
      Map<String, String> env,
      PaymentsConfig paymentsConfig,
      int paymentsPort)
      throws Exception {
    CatalogProcess catalog = current.catalog();
    PaymentsServer payments = current.payments();
    Thread.sleep(2000);
    settleAndCheck("warm-up", postgres, ledger, catalog);

    postgres.stop();
    Thread.sleep(DATABASE_OUTAGE);
    postgres.resume();
    settleAndCheck(
        "database stopped " + DATABASE_OUTAGE.toSeconds() + " s", postgres, ledger, catalog);

    try (Connection holder = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
        Statement lock = holder.createStatement()) {
      holder.setAutoCommit(false);
      lock.execute("SELECT id FROM products WHERE id <= " + PRODUCTS + " FOR UPDATE");
      Thread.sleep(5000);
      holder.rollback();
    }
    settleAndCheck("pool exhausted 5 s (rows locked)", postgres, ledger, catalog);

    payments.close();
    Thread.sleep(5000);
    payments = PaymentsServer.start(paymentsConfig.withPort(paymentsPort), Map.of(), ledger);
    current = new Current(catalog, payments);
    settleAndCheck("provider killed 5 s", postgres, ledger, catalog);

    payments.faults().set(new Faults.Setting(0, Duration.ofMillis(1500)));
    Thread.sleep(6000);
    payments.faults().set(Faults.Setting.NONE);
    settleAndCheck("provider slower than the client timeout 6 s", postgres, ledger, catalog);

    payments.faults().set(new Faults.Setting(0.5, Duration.ZERO));
    Thread.sleep(6000);
    payments.faults().set(Faults.Setting.NONE);
    settleAndCheck("provider failing 50% for 6 s", postgres, ledger, catalog);

    int port = catalog.port();
    catalog.process().toHandle().destroy(); // SIGTERM under load; buyers retry with their keys
    assertThat(catalog.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(catalog.process().exitValue()).as("clean exit after SIGTERM").isZero();
    env.put("VIGIL_PORT", Integer.toString(port));
    catalog = CatalogProcess.start(env);
    catalogPort.set(catalog.port());
    current = new Current(catalog, payments);
    Thread.sleep(3000);
    settleAndCheck("SIGTERM under load, restarted", postgres, ledger, catalog);
  }

  /** One buyer: orders one unit of a random product, retrying with the same key until answered. */
  private void buy(HttpClient http, AtomicBoolean buying) {
    while (buying.get()) {
      String key = UUID.randomUUID().toString();
      long product = 1 + ThreadLocalRandom.current().nextInt(PRODUCTS);
      for (int attempt = 0; attempt < 40 && buying.get(); attempt++) {
        int status = place(http, key, product);
        answers
            .computeIfAbsent(Integer.toString(status), s -> new AtomicInteger())
            .incrementAndGet();
        if (status == 201 || status == 202 || status == 409 || status == 422) {
          break;
        }
        sleep(250);
      }
    }
  }

  private int place(HttpClient http, String key, long product) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + catalogPort.get() + "/api/orders"))
                  .timeout(Duration.ofSeconds(15))
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", key)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // a 500 is always named; other 5xx reasons up to 20
      if (response.statusCode() == 500 || (response.statusCode() > 500 && reasons.size() < 20)) {
        Matcher detail = DETAIL.matcher(response.body());
        // an answer that is no problem names itself by its body (a 500 of Javalin's own, say)
        String body = response.body().replaceAll("\\s+", " ");
        reasons.add(
            response.statusCode()
                + " "
                + (detail.find()
                    ? detail.group(1).replaceAll("\\d+", "N")
                    : "(no detail) " + body.substring(0, Math.min(120, body.length()))));
      }
      if (response.statusCode() == 201 || response.statusCode() == 202) {
        Matcher id = ORDER_ID.matcher(response.body());
        if (id.find()) {
          acknowledged.add(Long.parseLong(id.group(1)));
        }
      }
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** An order as stored. */
  private record StoredOrder(long id, String status, String paymentKey, long totalCents) {}

  /**
   * Prints the catalog's log lines, since the last call, that explain a 500: its own unhandled
   * exceptions, Javalin's and Jetty's warnings and errors (an exception handler that threw, an
   * Error), and any access line with status 500.
   */
  private void printServerFailures(CatalogProcess catalog) {
    if (catalog != linesOf) {
      linesOf = catalog;
      linesRead = 0;
    }
    List<String> lines = List.copyOf(catalog.lines()); // the process keeps writing
    for (String line : lines.subList(linesRead, lines.size())) {
      boolean warning = line.contains("\"level\":\"ERROR\"") || line.contains("\"level\":\"WARN\"");
      if (line.contains("unhandled exception")
          || line.contains("\"status\":500")
          || (warning
              && (line.contains("\"logger\":\"io.javalin")
                  || line.contains("\"logger\":\"org.eclipse.jetty")))) {
        System.out.println("UNHANDLED " + line);
      }
    }
    linesRead = lines.size();
  }

  /** The catalog whose log lines were printed, and how many of them. */
  private CatalogProcess linesOf;

  private int linesRead;

  private void settleAndCheck(
      String scenario, PostgresServer postgres, Ledger ledger, CatalogProcess catalog)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(60);
    long pending = -1;
    while (System.nanoTime() < deadline) {
      pending =
          pendingOlderThan(
              postgres, 8_000); // the reconciler's min age (6 s) + interval (1 s) + margin
      if (pending == 0) {
        break;
      }
      Thread.sleep(250);
    }
    printServerFailures(catalog);
    System.out.printf(
        java.util.Locale.ROOT,
        "FIGURE fault_suite scenario=\"%s\" acknowledged=%d answers=%s settled_after_s=%.1f reasons=%s%n",
        scenario,
        acknowledged.size(),
        answers,
        (System.nanoTime() - start) / 1e9,
        reasons);
    reasons.clear();
    assertThat(pending).as("%s: orders pending past the reconciler's period", scenario).isZero();
    assertThat(answers)
        .as("%s: a fault is a 503 (or 202), never a 500", scenario)
        .doesNotContainKey("500");

    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
      // Buyers keep buying while this runs: the ledger is read before and after the orders, and
      // every
      // sum comes from one statement (one snapshot)
      List<Payment> ledgerBefore = ledger.payments();
      // Orders acknowledged before the read below were committed before their answer was sent, so
      // each must be in it; one acknowledged while the read runs may not be yet.
      List<Long> acknowledgedBefore = List.copyOf(acknowledged);
      Map<Long, StoredOrder> orders = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT id, status, payment_key, total_cents FROM orders")) {
        while (rs.next()) {
          orders.put(
              rs.getLong(1),
              new StoredOrder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
      assertThat(orders.keySet())
          .as("%s: every acknowledged order exists", scenario)
          .containsAll(acknowledgedBefore);

      List<Payment> ledgerAfter = ledger.payments();
      Map<String, StoredOrder> byKey = new HashMap<>();
      for (StoredOrder o : orders.values()) {
        byKey.put(o.paymentKey(), o);
      }
      List<String> problems = new ArrayList<>();
      for (Payment p : ledgerBefore) {
        if (p.status().equals(Payment.CAPTURED)) {
          StoredOrder order = byKey.get(p.idempotencyKey());
          boolean inFlight = order != null && order.status().equals("pending");
          if (!inFlight
              && (order == null
                  || !order.status().equals("confirmed")
                  || order.totalCents() != p.amountCents())) {
            problems.add("captured " + p + " has no confirmed order of its amount: " + order);
          }
        }
      }
      Map<String, Payment> capturedByKey = new HashMap<>();
      for (Payment p : ledgerAfter) {
        if (p.status().equals(Payment.CAPTURED)) {
          capturedByKey.put(p.idempotencyKey(), p);
        }
      }
      for (StoredOrder o : orders.values()) {
        if (!o.status().equals("confirmed")) {
          continue;
        }
        Payment p = capturedByKey.get(o.paymentKey());
        if (p == null || p.amountCents() != o.totalCents()) {
          problems.add("confirmed " + o + " has no captured payment of its amount: " + p);
        }
      }
      assertThat(problems)
          .as("%s: captured payments and confirmed orders match one to one", scenario)
          .isEmpty();

      // stock held by pending orders counts as taken: they give it back only when they end unpaid
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT p.id, p.stock + COALESCE((SELECT SUM(i.quantity) FROM order_items i "
                      + "JOIN orders o ON o.id = i.order_id WHERE i.product_id = p.id AND o.status IN ('confirmed', 'pending')), 0) "
                      + "FROM products p WHERE p.id <= "
                      + PRODUCTS)) {
        while (rs.next()) {
          long id = rs.getLong(1);
          assertThat(rs.getLong(2))
              .as("%s: stock of product %d conserved (initial = current + sold)", scenario, id)
              .isEqualTo(StartingCatalogue.product(id).stock());
        }
      }
    }
  }

  private static long pendingOlderThan(PostgresServer postgres, long ageMs) {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM orders WHERE status = 'pending' AND updated_at_ms < "
                    + (System.currentTimeMillis() - ageMs))) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return -1; // the database is still coming back
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
