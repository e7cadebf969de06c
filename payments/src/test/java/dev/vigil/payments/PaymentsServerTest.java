package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The payment provider over real HTTP on a random port. */
class PaymentsServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "payments-test-token-0123456789abcdef";
  private static final String CARD_PAYMENT =
      "{\"amount_cents\":1299,\"method\":\"card\",\"reference\":\"order-1\"}";

  private final HttpClient http = HttpClient.newHttpClient();
  private PaymentsServer server;

  @BeforeEach
  void start() {
    server =
        PaymentsServer.start(
            PaymentsConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_ADMIN_TOKEN", TOKEN,
                        "VIGIL_ADMIN_TOKEN_NAME", "drill",
                        "VIGIL_ADMIN_PORT", "0"))
                .withPort(0),
            Map.of());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPaymentIsCapturedOnceHoweverOftenTheSameIdempotencyKeyIsRetried() throws Exception {
    HttpResponse<String> first = pay("order-1-attempt", CARD_PAYMENT);
    HttpResponse<String> retry = pay("order-1-attempt", CARD_PAYMENT);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).as("a replay answers the earlier payment").isEqualTo(200);
    JsonNode payment = JSON.readTree(first.body());
    assertThat(payment.get("status").asText()).isEqualTo("captured");
    assertThat(payment.get("amount_cents").asLong()).isEqualTo(1299);
    assertThat(JSON.readTree(retry.body()).get("payment_id")).isEqualTo(payment.get("payment_id"));
    assertThat(metrics()).contains("payments_total{method=\"card\",status=\"captured\"} 1.0");
  }

  @Test
  void aPaymentCanBeLookedUpByItsIdempotencyKeyAndVoidingRefundsIt() throws Exception {
    assertThat(get("/api/payments/by-key/never-seen").statusCode()).isEqualTo(404);
    pay("k-lookup", CARD_PAYMENT);

    JsonNode found = JSON.readTree(get("/api/payments/by-key/k-lookup").body());
    HttpResponse<String> voided = post("/api/payments/by-key/k-lookup/void");
    HttpResponse<String> again = post("/api/payments/by-key/k-lookup/void");

    assertThat(found.get("status").asText()).isEqualTo("captured");
    assertThat(found.get("amount_cents").asLong()).isEqualTo(1299);
    assertThat(found.get("currency").asText()).isEqualTo("USD");
    assertThat(JSON.readTree(voided.body()).get("status").asText()).isEqualTo("refunded");
    assertThat(JSON.readTree(again.body()).get("status").asText())
        .as("voiding is idempotent")
        .isEqualTo("refunded");
    assertThat(metrics()).contains("payments_total{method=\"card\",status=\"refunded\"} 1.0");
    assertThat(pay("k-lookup", CARD_PAYMENT).statusCode())
        .as("a refunded key cannot capture again")
        .isEqualTo(409);
  }

  @Test
  void aKeyVoidedBeforeItsCaptureArrivedCanNeverCapture() throws Exception {
    HttpResponse<String> voided = post("/api/payments/by-key/k-late/void");
    HttpResponse<String> late = pay("k-late", CARD_PAYMENT);

    assertThat(JSON.readTree(voided.body()).get("status").asText()).isEqualTo("voided");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(late.body()).get("detail").asText())
        .contains("voided")
        .contains("nothing was charged");
    assertThat(metrics()).doesNotContain("status=\"captured\"");
  }

  @Test
  void aKeyReusedForAnotherAmountIsRefusedInsteadOfAnsweringTheOlderPayment() throws Exception {
    pay("order-1", "{\"amount_cents\":536,\"method\":\"card\"}");

    HttpResponse<String> reused = pay("order-1", "{\"amount_cents\":2274,\"method\":\"card\"}");

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(reused.body()).get("detail").asText())
        .contains("was used for another payment");
  }

  @Test
  void aPaymentWithoutIdempotencyKeyOrWithABadAmountIsTheCallersMistake() throws Exception {
    HttpResponse<String> noKey =
        http.send(
            HttpRequest.newBuilder(uri("/api/payments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CARD_PAYMENT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> badAmount = pay("k-2", "{\"amount_cents\":0,\"method\":\"card\"}");

    assertThat(noKey.statusCode()).isEqualTo(400);
    assertThat(noKey.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(JSON.readTree(noKey.body()).get("detail").asText())
        .contains("Idempotency-Key header is missing");
    assertThat(badAmount.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(badAmount.body()).get("field").asText()).isEqualTo("amount_cents");
  }

  @Test
  void injectedFailuresAnswer503AndShowAsDegradedUntilTheyAreCleared() throws Exception {
    assertThat(putFault("payment_errors", "{\"params\":{\"ratio\":1}}").statusCode())
        .isEqualTo(200);

    HttpResponse<String> failed = pay("k-3", CARD_PAYMENT);
    HttpResponse<String> health = get("/health/detailed");

    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(failed.body()).get("detail").asText()).contains("injected fault");
    assertThat(health.statusCode()).as("degraded is still serving").isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("checks").get("faults").get("status").asText())
        .isEqualTo("degraded");
    assertThat(metrics()).contains("payments_total{method=\"card\",status=\"failed\"} 1.0");

    assertThat(admin("/admin/faults/payment_errors", "DELETE", null).statusCode()).isEqualTo(204);
    assertThat(pay("k-3", CARD_PAYMENT).statusCode())
        .as("the retry with the same key succeeds")
        .isEqualTo(201);
    assertThat(JSON.readTree(get("/health/detailed").body()).get("status").asText())
        .isEqualTo("healthy");
  }

  @Test
  void injectedLatencyDelaysEveryPaymentByAtLeastThatMuch() throws Exception {
    putFault("payment_latency", "{\"params\":{\"fixed_ms\":300}}");
    long start = System.nanoTime();
    HttpResponse<String> slow = pay("k-4", CARD_PAYMENT);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(slow.statusCode()).isEqualTo(201);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    JsonNode listed = JSON.readTree(admin("/admin/faults", "GET", null).body()).get("faults");
    assertThat(listed.get(0).get("params").get("fixed_ms").asLong()).isEqualTo(300);
    assertThat(listed.get(0).get("setBy").asText()).isEqualTo("drill");
  }

  @Test
  void anOutOfRangeFaultSettingIsRejectedNamingTheField() throws Exception {
    HttpResponse<String> response = putFault("payment_errors", "{\"params\":{\"ratio\":1.5}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("params.ratio");
    assertThat(server.faults().registry().active()).isEmpty();
  }

  @Test
  void anyoneCouldChangeFaultsOnTheMainPort_nowOnlyTheTokenHolderOnTheAdminPort() throws Exception {
    HttpResponse<String> oldEndpoint =
        http.send(
            HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"failure_rate\":1,\"latency_ms\":0}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(oldEndpoint.statusCode()).as("no admin endpoint on the main port").isEqualTo(404);

    HttpResponse<String> noToken =
        http.send(
            HttpRequest.newBuilder(adminUri("/admin/faults/payment_errors"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"params\":{\"ratio\":1}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(pay("k-6", CARD_PAYMENT).statusCode()).isEqualTo(201);
  }

  @Test
  void anUnreachableProviderClosesPaymentConnectionsWithoutAnAnswerButStillExposesTheFault()
      throws Exception {
    putFault("payment_unreachable", "");

    assertThatThrownBy(() -> pay("k-7", CARD_PAYMENT))
        .as("the caller gets no status at all")
        .isInstanceOf(IOException.class);
    assertThat(metrics())
        .as("/metrics still answers, showing the fault")
        .contains("vigil_fault_active{fault=\"payment_unreachable\",target=\"*\"} 1.0");

    admin("/admin/faults", "DELETE", null);
    assertThat(pay("k-7", CARD_PAYMENT).statusCode()).isEqualTo(201);
    assertThat(metrics())
        .contains("vigil_fault_active{fault=\"payment_unreachable\",target=\"*\"} 0.0");
  }

  @Test
  void amountsAndReferencesAreAcceptedUpToTheirLimitsAndRefusedOneBeyondNamingTheField()
      throws Exception {
    long max = PaymentApi.MAX_AMOUNT_CENTS;
    assertThat(pay("k-min", "{\"amount_cents\":1,\"method\":\"card\"}").statusCode())
        .isEqualTo(201);
    assertThat(pay("k-max", "{\"amount_cents\":" + max + ",\"method\":\"card\"}").statusCode())
        .isEqualTo(201);
    assertThat(field(pay("k-over", "{\"amount_cents\":" + (max + 1) + ",\"method\":\"card\"}")))
        .isEqualTo("amount_cents");

    String ref200 = "r".repeat(200);
    assertThat(
            pay(
                    "k-ref",
                    "{\"amount_cents\":5,\"method\":\"card\",\"reference\":\"" + ref200 + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            field(
                pay(
                    "k-ref2",
                    "{\"amount_cents\":5,\"method\":\"card\",\"reference\":\"" + ref200 + "r\"}")))
        .isEqualTo("reference");
    assertThat(field(pay("k-jpy", "{\"amount_cents\":5,\"method\":\"card\",\"currency\":\"JPY\"}")))
        .isEqualTo("currency");
    assertThat(field(pay("k-cash", "{\"amount_cents\":5,\"method\":\"cash\"}")))
        .isEqualTo("method");
  }

  @Test
  void anInjectedFailureAlsoAnswersLookUpsAndVoidsWith503() throws Exception {
    pay("k-f", CARD_PAYMENT);
    putFault("payment_errors", "{\"params\":{\"ratio\":1}}");

    assertThat(get("/api/payments/by-key/k-f").statusCode()).isEqualTo(503);
    assertThat(post("/api/payments/by-key/k-f/void").statusCode()).isEqualTo(503);
    assertThat(server.ledger().find("k-f"))
        .map(Payment::status)
        .as("the refused void changed nothing")
        .hasValue(Payment.CAPTURED);
  }

  @Test
  void voidsAreCountedByWhatTheyDidRefundsUnderThePaymentsMethod() throws Exception {
    pay("k-pp", "{\"amount_cents\":700,\"method\":\"paypal\"}");

    post("/api/payments/by-key/k-pp/void");
    post("/api/payments/by-key/k-none/void");

    assertThat(metrics())
        .contains("payments_total{method=\"paypal\",status=\"refunded\"} 1.0")
        .contains("payments_total{method=\"none\",status=\"voided\"} 1.0")
        .doesNotContain("payments_total{method=\"card\",status=\"refunded\"}");
  }

  @Test
  void aMalformedKeyCannotBeVoided() throws Exception {
    HttpResponse<String> response = post("/api/payments/by-key/bad%20key/void");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("detail").asText())
        .contains("is not an idempotency key");
  }

  private static String field(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    return JSON.readTree(response.body()).get("field").asText();
  }

  private HttpResponse<String> pay(String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/api/payments"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> putFault(String fault, String body) throws Exception {
    return admin("/admin/faults/" + fault, "PUT", body);
  }

  private HttpResponse<String> admin(String path, String method, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(adminUri(path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + server.admin().port() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return get("/metrics").body();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
