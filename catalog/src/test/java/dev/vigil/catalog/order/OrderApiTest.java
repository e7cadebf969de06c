package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogFixture;
import dev.vigil.payments.Faults;
import dev.vigil.payments.Payment;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/orders} as a client sees it, on a catalog and payment provider running in this
 * JVM: what each answer says about the money and the stock, checked against the provider's ledger
 * and the stock read back, with products the test creates at its own prices (so every total is
 * computed here, not by the catalog).
 */
class OrderApiTest {

  private static final String ADMIN_TOKEN = "order-api-test-token-0123456789";

  @TempDir static Path dataDir;

  private static CatalogFixture catalog;
  private static CatalogClient client;

  @BeforeAll
  static void start() {
    catalog = CatalogFixture.builder(dataDir).start();
    client = catalog.client();
  }

  @AfterAll
  static void stop() {
    if (catalog != null) {
      catalog.close();
    }
  }

  private static long product(long priceCents, int stock) throws Exception {
    return product(client, priceCents, stock);
  }

  /** A new product on a catalog, at the test's own price and stock; its id. */
  private static long product(CatalogClient client, long priceCents, int stock) throws Exception {
    HttpResponse<String> created =
        client.postJson(
            "/api/products",
            "{\"name\":\"Box set\",\"category\":\"Music\",\"price_cents\":"
                + priceCents
                + ",\"stock\":"
                + stock
                + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return CatalogClient.json(created).get("id").asLong();
  }

  private static int stock(CatalogClient client, long productId) throws Exception {
    return CatalogClient.json(client.get("/api/products/" + productId)).get("stock").asInt();
  }

  private static String line(long productId, int quantity) {
    return "{\"product_id\":" + productId + ",\"quantity\":" + quantity + "}";
  }

  private static HttpResponse<String> order(CatalogClient client, String key, String body)
      throws Exception {
    return key == null
        ? client.postJson("/api/orders", body)
        : client.send(
            "/api/orders", "POST", "application/json", body, "*/*", "Idempotency-Key", key);
  }

  /**
   * A catalog and provider of one test's own, with the admin API (faults) on; {@code env}: more of
   * the catalog's variables, name then value.
   */
  private static CatalogFixture own(Path dir, String... env) {
    CatalogFixture.Builder builder = CatalogFixture.builder(dir).adminToken(ADMIN_TOKEN);
    for (int i = 0; i < env.length; i += 2) {
      builder.env(env[i], env[i + 1]);
    }
    return builder.start();
  }

  private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    return CatalogClient.json(response);
  }

  @Test
  void aPaidOrderIsAnswered201WithItsUrlItsLinesAndTheTotalTheProviderCaptured() throws Exception {
    long a = product(1999, 10);
    long b = product(250, 10);
    double before = client.metric("orders_total", "payment_method", "card", "status", "confirmed");
    double pendingBefore =
        client.metric("orders_total", "payment_method", "card", "status", "pending");

    HttpResponse<String> placed =
        order(client, null, "{\"items\":[" + line(b, 3) + "," + line(a, 2) + "]}");

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonNode body = CatalogClient.json(placed);
    long id = body.get("id").asLong();
    assertThat(placed.headers().firstValue("Location")).contains("/api/orders/" + id);
    assertThat(body.get("status").asText()).isEqualTo("confirmed");
    assertThat(body.get("payment_method").asText()).as("card unless said").isEqualTo("card");
    assertThat(body.get("total_cents").asLong()).isEqualTo(2 * 1999 + 3 * 250);
    assertThat(body.has("payment_key")).as("the payment key is not shown").isFalse();
    Payment paid =
        catalog.payments().ledger().payments().stream()
            .filter(p -> p.amountCents() == 2 * 1999 + 3 * 250)
            .findFirst()
            .orElseThrow();
    assertThat(paid.status()).isEqualTo(Payment.CAPTURED);
    assertThat(paid.method()).isEqualTo("card");
    assertThat(paid.currency()).isEqualTo("USD");
    assertThat(stock(client, a)).isEqualTo(8);
    assertThat(stock(client, b)).isEqualTo(7);
    assertThat(client.metric("orders_total", "payment_method", "card", "status", "confirmed"))
        .isEqualTo(before + 1);
    assertThat(client.metric("orders_total", "payment_method", "card", "status", "pending"))
        .as("every stored order passes through pending once")
        .isEqualTo(pendingBefore + 1);
    JsonNode stored = CatalogClient.json(client.get("/api/orders/" + id));
    assertThat(stored.get("status").asText()).isEqualTo("confirmed");
    assertThat(stored.get("items")).hasSize(2);
  }

  @Test
  void anOrderForMoreThanTheStockIsRefused409NamingWhatIsLeftAndTakesNothing() throws Exception {
    long scarce = product(500, 3);
    long plenty = product(500, 50);
    double rejected =
        client.metric("orders_total", "payment_method", "paypal", "status", "rejected");
    int payments = catalog.payments().ledger().payments().size();

    JsonNode refused =
        problem(
            order(
                client,
                null,
                "{\"items\":["
                    + line(plenty, 5)
                    + ","
                    + line(scarce, 4)
                    + "],\"payment_method\":\"paypal\"}"),
            409);

    assertThat(refused.get("product_id").asLong()).isEqualTo(scarce);
    assertThat(refused.get("available").asInt()).isEqualTo(3);
    assertThat(refused.get("detail").asText()).contains("order at most 3");
    assertThat(stock(client, plenty)).as("the other line's stock is untouched").isEqualTo(50);
    assertThat(stock(client, scarce)).isEqualTo(3);
    assertThat(catalog.payments().ledger().payments()).as("nothing charged").hasSize(payments);
    assertThat(client.metric("orders_total", "payment_method", "paypal", "status", "rejected"))
        .isEqualTo(rejected + 1);
  }

  @Test
  void everyMalformedOrderIsRefusedNamingItsField() throws Exception {
    long p = product(100, 5);
    String[][] cases = {
      {"{\"items\":[" + line(p, 1) + "],\"payment_method\":\"cash\"}", "payment_method"},
      {"{\"payment_method\":\"card\"}", "items"},
      {"{\"items\":[]}", "items"},
      {"{\"items\":[" + (line(p, 1) + ",").repeat(50) + line(p, 1) + "]}", "items"},
      {"{\"items\":[" + line(p, 1) + ",null]}", "items[1]"},
      {"{\"items\":[{\"quantity\":1}]}", "items[0].product_id"},
      {"{\"items\":[" + line(0, 1) + "]}", "items[0].product_id"},
      {"{\"items\":[{\"product_id\":" + p + "}]}", "items[0].quantity"},
      {"{\"items\":[" + line(p, 0) + "]}", "items[0].quantity"},
      {"{\"items\":[" + line(p, 1001) + "]}", "items[0].quantity"},
      {"{\"items\":[" + line(p, 600) + "," + line(p, 401) + "]}", "items[1].quantity"},
      {"{\"items\":[" + line(p, 1) + "," + line(999_999, 1) + "]}", "items[1].product_id"},
      {"{\"items\":[" + line(999_999, 1) + "," + line(999_999, 2) + "]}", "items[0].product_id"},
    };
    for (String[] c : cases) {
      JsonNode refused = problem(order(client, null, c[0]), 422);
      assertThat(refused.get("field").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(refused.get("detail").asText()).startsWith(c[1]);
    }
    assertThat(
            problem(
                    order(client, null, "{\"items\":[" + line(p, 600) + "," + line(p, 401) + "]}"),
                    422)
                .get("detail")
                .asText())
        .contains("brings product " + p + " to 1001 units; at most 1000");
    assertThat(stock(client, p)).as("no refused order took stock").isEqualTo(5);
  }

  @Test
  void theLargestOrderAllowedIsAccepted() throws Exception {
    long p = product(1, 1000);
    long q = product(1, 100);
    String fifty = (line(q, 1) + ",").repeat(49) + line(p, 1000);

    HttpResponse<String> placed = order(client, null, "{\"items\":[" + fifty + "]}");

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(CatalogClient.json(placed).get("total_cents").asLong()).isEqualTo(1049);
    assertThat(stock(client, p)).isZero();
    assertThat(stock(client, q)).isEqualTo(51);
  }

  @Test
  void aMalformedIdempotencyKeyIsRefused400BeforeAnythingHappens() throws Exception {
    long p = product(100, 5);
    for (String key : new String[] {"has space", "x".repeat(129), "semi;colon"}) {
      JsonNode refused = problem(order(client, key, "{\"items\":[" + line(p, 1) + "]}"), 400);
      assertThat(refused.get("detail").asText())
          .contains("Idempotency-Key header is malformed")
          .contains("[A-Za-z0-9._:-]");
    }
    assertThat(stock(client, p)).isEqualTo(5);
  }

  @Test
  void aRetryWithItsKeyAnswersTheFirstOrderAndTheKeyCannotBeReusedForAnother() throws Exception {
    long p = product(300, 10);
    String key = "retry-" + UUID.randomUUID();
    String body = "{\"items\":[" + line(p, 2) + "],\"payment_method\":\"bank_transfer\"}";

    HttpResponse<String> first = order(client, key, body);
    HttpResponse<String> retry = order(client, key, body);
    HttpResponse<String> sameLinesOtherOrder =
        order(client, key, "{\"items\":[" + line(p, 2) + "],\"payment_method\":\"card\"}");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(retry.headers().firstValue("Location"))
        .isEqualTo(first.headers().firstValue("Location"));
    assertThat(CatalogClient.json(retry).get("total_cents").asLong()).isEqualTo(600);
    JsonNode reused = problem(sameLinesOtherOrder, 422);
    assertThat(reused.get("order_id").asLong())
        .isEqualTo(CatalogClient.json(first).get("id").asLong());
    assertThat(reused.get("detail").asText()).contains(key).contains("send a new key");
    assertThat(stock(client, p)).as("one order took stock").isEqualTo(8);
  }

  @Test
  void theKeyIdentifiesTheOrderNotTheOrderOfItsLines() throws Exception {
    long p = product(300, 10);
    long q = product(400, 10);
    String key = "lines-" + UUID.randomUUID();

    HttpResponse<String> first =
        order(client, key, "{\"items\":[" + line(p, 1) + "," + line(q, 2) + "]}");
    HttpResponse<String> reordered =
        order(client, key, "{\"items\":[" + line(q, 2) + "," + line(p, 1) + "]}");
    HttpResponse<String> otherQuantity =
        order(client, key, "{\"items\":[" + line(q, 1) + "," + line(p, 2) + "]}");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(reordered.statusCode()).as("the same order, lines listed otherwise").isEqualTo(201);
    assertThat(reordered.headers().firstValue("Idempotent-Replayed")).contains("true");
    problem(otherQuantity, 422);
    assertThat(stock(client, p)).isEqualTo(9);
    assertThat(stock(client, q)).isEqualTo(8);
  }

  @Test
  void theFirstProductOfTheCatalogueCanBeOrdered() throws Exception {
    int before = stock(client, 1);

    HttpResponse<String> placed = order(client, null, "{\"items\":[" + line(1, 1) + "]}");

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(stock(client, 1)).isEqualTo(before - 1);
  }

  @Test
  void aRetryOfAPaidOrderIsAnsweredTheOrderEvenWhenItsProductSoldOutSince() throws Exception {
    long p = product(900, 2);
    String key = "sold-out-" + UUID.randomUUID();
    String body = "{\"items\":[" + line(p, 2) + "]}";

    HttpResponse<String> first = order(client, key, body);
    HttpResponse<String> retry = order(client, key, body);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(stock(client, p)).isZero();
    assertThat(retry.statusCode()).as("not 409: the retry is the paid order").isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(CatalogClient.json(retry).get("id")).isEqualTo(CatalogClient.json(first).get("id"));
  }

  @Test
  void anUnknownOrderIs404() throws Exception {
    JsonNode missing = problem(client.get("/api/orders/987654321"), 404);
    assertThat(missing.get("detail").asText()).isEqualTo("order 987654321 does not exist");
  }

  @Test
  void aFailedPaymentIsAnswered503WithTheStockBackAndARetryWithTheKeyPlacesANewAttempt(
      @TempDir Path dir) throws Exception {
    try (CatalogFixture own = own(dir)) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      String key = "failed-" + UUID.randomUUID();
      String body = "{\"items\":[" + line(p, 2) + "],\"payment_method\":\"paypal\"}";
      own.payments().faults().set(new Faults.Setting(1, Duration.ZERO));

      HttpResponse<String> failed = order(c, key, body);

      JsonNode problem = problem(failed, 503);
      long retryAfter = Long.parseLong(failed.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isPositive();
      assertThat(problem.get("detail").asText()).contains("retry in " + retryAfter + " s");
      assertThat(problem.get("order_status").asText()).isEqualTo("payment_failed");
      assertThat(problem.get("detail").asText())
          .contains("was not placed")
          .contains("nothing was charged");
      long failedId = problem.get("order_id").asLong();
      assertThat(CatalogClient.json(c.get("/api/orders/" + failedId)).get("status").asText())
          .isEqualTo("payment_failed");
      assertThat(stock(c, p)).as("given back").isEqualTo(6);
      assertThat(own.payments().ledger().payments()).as("nothing captured").isEmpty();
      assertThat(c.metric("orders_total", "payment_method", "paypal", "status", "payment_failed"))
          .isEqualTo(1);

      own.payments().faults().set(Faults.Setting.NONE);
      HttpResponse<String> retried = order(c, key, body);

      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
      assertThat(CatalogClient.json(retried).get("id").asLong())
          .as("a new attempt, not the failed order")
          .isNotEqualTo(failedId);
      assertThat(stock(c, p)).isEqualTo(4);
      assertThat(own.payments().ledger().payments())
          .extracting(Payment::status)
          .containsExactly(Payment.CAPTURED);
    }
  }

  @Test
  void theProductPageShowsTheStockAFailedPaymentGaveBackNotTheUnitsItHeld(@TempDir Path dir)
      throws Exception {
    try (CatalogFixture own = own(dir)) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      // each of the three attempts is refused after 1 s: the order holds its units meanwhile
      own.payments().faults().set(new Faults.Setting(1, Duration.ofSeconds(1)));

      // the page (and its cache) shows the units held while the payment is under way
      FutureTask<HttpResponse<String>> failing = placeAndAwaitHeld(c, p);
      problem(failing.get(), 503);

      assertThat(stock(c, p))
          .as("the units the failed order held are back on the page")
          .isEqualTo(6);
    }
  }

  @Test
  void twoRequestsWithOneKeyAtOnceTakeStockOnceAndTheSecondIsAnsweredTheFirstsOrder(
      @TempDir Path dir) throws Exception {
    try (CatalogFixture own = own(dir);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      // inserting an order takes 1 s: the second request looks the key up before the first's
      // order is committed, finds nothing, and meets the first's key when it inserts its own
      HttpResponse<String> slow =
          own.admin(
              "PUT",
              "/admin/faults/db_slow_statement",
              "{\"target\":\"order_insert\",\"params\":{\"seconds\":1}}");
      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
      String key = "together-" + UUID.randomUUID();
      String body = "{\"items\":[" + line(p, 1) + "]}";

      Future<HttpResponse<String>> first = clients.submit(() -> order(c, key, body));
      Future<HttpResponse<String>> second = clients.submit(() -> order(c, key, body));

      assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(201);
      assertThat(second.get().statusCode()).as(second.get().body()).isEqualTo(201);
      assertThat(CatalogClient.json(first.get()).get("id"))
          .isEqualTo(CatalogClient.json(second.get()).get("id"));
      assertThat(
              java.util.stream.Stream.of(first.get(), second.get())
                  .filter(r -> r.headers().firstValue("Idempotent-Replayed").isPresent())
                  .count())
          .as("one of them is the replay")
          .isEqualTo(1);
      assertThat(stock(c, p)).as("one unit taken, not two").isEqualTo(5);
      assertThat(own.payments().ledger().payments()).hasSize(1);
      JsonNode otherBody = problem(order(c, key, "{\"items\":[" + line(p, 2) + "]}"), 422);
      assertThat(otherBody.get("order_id")).isEqualTo(CatalogClient.json(first.get()).get("id"));
    }
  }

  @Test
  void aPaymentCapturedWhileTheDatabaseFailedIsAnswered202NeverNothingCharged(@TempDir Path dir)
      throws Exception {
    try (CatalogFixture own = own(dir, "VIGIL_PAYMENTS_TIMEOUT", "10s")) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      // answered after 2.5 s, within the catalog's 10 s: captured
      own.payments().faults().set(new Faults.Setting(0, Duration.ofMillis(2500)));

      HttpResponse<String> answer = whileTheDatabaseFailsDuringThePayment(own, p);

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      assertThat(answer.body()).doesNotContain("nothing was charged");
      assertThat(CatalogClient.json(answer).get("status").asText()).isEqualTo("pending");
      assertThat(own.payments().ledger().payments())
          .as("the customer was charged: the order must stay to be reconciled")
          .extracting(Payment::status)
          .containsExactly(Payment.CAPTURED);
      String location = answer.headers().firstValue("Location").orElseThrow();
      assertThat(CatalogClient.json(c.get(location)).get("status").asText()).isEqualTo("pending");
      assertThat(stock(c, p)).as("its units stay held").isEqualTo(4);
    }
  }

  @Test
  void aPaymentRefusedWhileTheDatabaseFailedLeavesTheOrderPendingForTheReconciler(@TempDir Path dir)
      throws Exception {
    try (CatalogFixture own = own(dir)) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      own.payments().faults().set(new Faults.Setting(1, Duration.ofSeconds(1))); // then refused

      HttpResponse<String> answer = whileTheDatabaseFailsDuringThePayment(own, p);

      assertThat(answer.statusCode())
          .as("its failure could not be recorded: pending, not 'payment failed': " + answer.body())
          .isEqualTo(202);
      assertThat(own.payments().ledger().payments()).as("nothing captured").isEmpty();
      String location = answer.headers().firstValue("Location").orElseThrow();
      assertThat(CatalogClient.json(c.get(location)).get("status").asText()).isEqualTo("pending");
      assertThat(stock(c, p)).as("held until the reconciler settles it").isEqualTo(4);
    }
  }

  /**
   * Places an order of 2 units of product {@code p} (stock 6 before) on a thread of its own and
   * returns once the product page shows them held (stock 4): the order is stored and its payment
   * under way.
   *
   * @return the order's answer, to come
   */
  private static FutureTask<HttpResponse<String>> placeAndAwaitHeld(CatalogClient c, long p)
      throws Exception {
    FutureTask<HttpResponse<String>> placing =
        new FutureTask<>(() -> order(c, null, "{\"items\":[" + line(p, 2) + "]}"));
    Thread.ofVirtual().start(placing);
    boolean held = false;
    while (!placing.isDone() && !held) {
      held = stock(c, p) == 4;
      Thread.sleep(20);
    }
    assertThat(held).as("the page was read while the payment was under way").isTrue();
    return placing;
  }

  /**
   * Places an order of 2 units of product {@code p} and switches the catalog's {@code
   * db_unavailable} fault on once the order holds its units (the payment under way, slowed by the
   * provider's latency), off once the answer came; the answer.
   */
  private static HttpResponse<String> whileTheDatabaseFailsDuringThePayment(
      CatalogFixture own, long p) throws Exception {
    FutureTask<HttpResponse<String>> placing = placeAndAwaitHeld(own.client(), p);
    HttpResponse<String> on = own.admin("PUT", "/admin/faults/db_unavailable", "{}");
    assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
    assertThat(placing.isDone())
        .as("the payment was still under way when the database failed")
        .isFalse();
    HttpResponse<String> answer = placing.get();
    own.admin("DELETE", "/admin/faults/db_unavailable", null);
    return answer;
  }

  @Test
  void aFullConfirmationQueueRefusesTheOrder503BeforeAnythingIsReservedOrCharged(@TempDir Path dir)
      throws Exception {
    try (CatalogFixture own = own(dir, "VIGIL_CONFIRMATION_QUEUE_CAPACITY", "1")) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      assertThat(own.admin("PUT", "/admin/faults/worker_stalled", "{}").statusCode())
          .isLessThan(300);
      String body = "{\"items\":[" + line(p, 1) + "],\"payment_method\":\"bank_transfer\"}";

      assertThat(order(c, null, body).statusCode()).isEqualTo(201);
      HttpResponse<String> refused = order(c, null, body);

      JsonNode problem = problem(refused, 503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(problem.get("queue").asText()).isEqualTo("confirmations");
      assertThat(problem.get("detail").asText()).contains("nothing was reserved nor charged");
      assertThat(stock(c, p)).as("only the first order's unit").isEqualTo(5);
      assertThat(own.payments().ledger().payments()).as("one payment, not two").hasSize(1);
      assertThat(
              c.metric("orders_total", "payment_method", "bank_transfer", "status", "queue_full"))
          .isEqualTo(1);
      assertThat(c.metric("orders_total", "payment_method", "bank_transfer", "status", "pending"))
          .as("the refused order was never stored")
          .isEqualTo(1);
      own.admin("DELETE", "/admin/faults/worker_stalled", null);
    }
  }

  @Test
  void aPaymentWhoseOutcomeIsUnknownIsAnswered202AndOnceVoidedItsRetryIsTold503Voided(
      @TempDir Path dir) throws Exception {
    try (CatalogFixture own =
        own(dir, "VIGIL_PAYMENTS_TIMEOUT", "200ms", "VIGIL_RECONCILE_INTERVAL", "3s")) {
      CatalogClient c = own.client();
      long p = product(c, 700, 6);
      String key = "unknown-" + UUID.randomUUID();
      String body = "{\"items\":[" + line(p, 2) + "]}";
      // every answer comes after the catalog's 200 ms, and is a refusal: nothing is ever captured
      own.payments().faults().set(new Faults.Setting(1, Duration.ofMillis(600)));

      HttpResponse<String> accepted = order(c, key, body);

      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      assertThat(accepted.body()).doesNotContain("nothing was charged");
      String location = accepted.headers().firstValue("Location").orElseThrow();
      assertThat(location).isEqualTo("/api/orders/" + CatalogClient.json(accepted).get("id"));
      assertThat(accepted.headers().firstValue("Retry-After"))
          .as("worth polling again after one reconciliation interval")
          .contains("3");
      assertThat(CatalogClient.json(accepted).get("status").asText()).isEqualTo("pending");
      assertThat(stock(c, p)).as("held: it may have been paid").isEqualTo(4);
      HttpResponse<String> stillPending = order(c, key, body);
      assertThat(stillPending.statusCode()).isEqualTo(202);
      assertThat(stillPending.headers().firstValue("Idempotent-Replayed")).contains("true");

      own.payments().faults().set(Faults.Setting.NONE);
      Instant deadline = Instant.now().plusSeconds(60);
      while (!CatalogClient.json(c.get(location)).get("status").asText().equals("cancelled")) {
        assertThat(Instant.now()).as("the reconciler cancels it within 60 s").isBefore(deadline);
        Thread.sleep(100);
      }
      HttpResponse<String> retry = order(c, key, body);

      JsonNode voided = problem(retry, 503);
      assertThat(voided.get("order_status").asText()).isEqualTo("cancelled");
      assertThat(voided.get("detail").asText())
          .contains("voided at the provider")
          .contains("nothing was charged");
      assertThat(stock(c, p)).as("given back by the cancellation").isEqualTo(6);
      assertThat(own.payments().ledger().payments())
          .extracting(Payment::status)
          .containsExactly(Payment.VOIDED);
    }
  }
}
