package dev.vigil.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.logging.RequestIds;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment API: capture (idempotent), look-up by idempotency key, and void (refund), what a
 * caller needs to reconcile payments whose answer it never received.
 *
 * <pre>
 * POST /api/payments                      capture; header Idempotency-Key; 201 new, 200 replay,
 *                                         409 key voided, 422 key reused for another request
 * GET  /api/payments/by-key/{key}         the payment of a key; 404 when the key was never seen
 * POST /api/payments/by-key/{key}/void    refund its capture, or forbid any later capture; idempotent
 * </pre>
 *
 * The {@code Idempotency-Key} header follows the IETF draft "The Idempotency-Key HTTP Header
 * Field": a retry with the same key answers the payment captured the first time and charges nothing
 * again. Injected faults ({@link Faults}) apply to every call: a slow provider is slow to look up
 * and void too. Outcomes are counted in {@code
 * payments_total{status="captured"|"failed"|"refunded"|"voided",method}}.
 */
public final class PaymentApi {

  /** The request header that makes a payment idempotent. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Accepted payment methods (a closed set: it is a label value). */
  public static final List<String> METHODS = List.of("card", "paypal", "bank_transfer");

  /** Accepted currencies (ISO 4217; a closed set the demo provider settles in). */
  public static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP");

  /** Largest amount of one payment, in cents. */
  public static final long MAX_AMOUNT_CENTS = 100_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(PaymentApi.class);

  /** The body of {@code POST /api/payments}; currency defaults to USD. */
  record NewPayment(
      @JsonProperty("amount_cents") Long amountCents,
      String currency,
      String method,
      String reference) {}

  private final Faults faults;
  private final Ledger ledger;
  private final Counter payments;

  /**
   * @param faults injected failures and latency
   * @param ledger the payments by idempotency key
   * @param registry where {@code payments_total} is registered
   */
  public PaymentApi(Faults faults, Ledger ledger, PrometheusRegistry registry) {
    this.faults = faults;
    this.ledger = ledger;
    this.payments =
        Counter.builder()
            .name("payments_total")
            .help("Payment requests by outcome (captured, failed, refunded, voided) and method")
            .labelNames("status", "method")
            .register(registry);
  }

  /**
   * {@code POST /api/payments}: captures a payment: 201 with the payment, or 200 with the earlier
   * one when the key was seen with the same request.
   *
   * @param ctx the request with header {@code Idempotency-Key} (1..128 characters of {@code
   *     [A-Za-z0-9._:-]}) and body {@code
   *     {"amount_cents":1299,"currency":"USD","method":"card","reference":"order-42"}}
   * @throws InterruptedException when injected latency is interrupted by shutdown
   * @throws ProblemException 400 without a valid key, 422 for an invalid field or a key reused with
   *     a different amount, currency or method, 409 for a voided key, 503 for an injected failure
   */
  public void capture(Context ctx) throws InterruptedException {
    String key = ctx.header(IDEMPOTENCY_KEY);
    if (!RequestIds.isValid(key)) {
      throw new ProblemException(
          Problem.of(
              400,
              "the "
                  + IDEMPOTENCY_KEY
                  + " header is "
                  + (key == null ? "missing" : "malformed")
                  + ": send 1 to 128 characters of [A-Za-z0-9._:-], "
                  + "the same value on every retry of one payment"));
    }
    NewPayment body = JsonBody.read(ctx, NewPayment.class);
    if (body.method() == null || !METHODS.contains(body.method())) {
      throw ProblemException.invalidField("method", "is required: one of " + METHODS);
    }
    if (body.amountCents() == null
        || body.amountCents() < 1
        || body.amountCents() > MAX_AMOUNT_CENTS) {
      throw ProblemException.invalidField(
          "amount_cents", "is required: an integer from 1 to " + MAX_AMOUNT_CENTS);
    }
    String currency = body.currency() == null ? "USD" : body.currency();
    if (!CURRENCIES.contains(currency)) {
      throw ProblemException.invalidField("currency", "must be one of " + CURRENCIES);
    }
    if (body.reference() != null && body.reference().length() > 200) {
      throw ProblemException.invalidField("reference", "must be at most 200 characters");
    }
    try {
      faults.apply();
    } catch (ProblemException e) {
      payments.labelValues("failed", body.method()).inc();
      throw e;
    }
    switch (ledger.capture(key, body.amountCents(), currency, body.method(), body.reference())) {
      case Ledger.Captured(Payment created) -> {
        payments.labelValues(Payment.CAPTURED, created.method()).inc();
        LOG.atInfo()
            .addKeyValue("payment_id", created.id())
            .addKeyValue("amount_cents", created.amountCents())
            .addKeyValue("method", created.method())
            .log("payment {} captured", created.id());
        ctx.status(201).json(created);
      }
      case Ledger.Replayed(Payment earlier) -> ctx.status(200).json(earlier);
      case Ledger.Conflict(Payment earlier) ->
          throw new ProblemException(
              Problem.of(
                      422,
                      "the "
                          + IDEMPOTENCY_KEY
                          + " '"
                          + key
                          + "' was used for another payment ("
                          + earlier.amountCents()
                          + " "
                          + earlier.currency()
                          + " by "
                          + earlier.method()
                          + "): send a new key for a new payment")
                  .with("payment_id", earlier.id()));
      case Ledger.Voided(Payment voided) ->
          throw new ProblemException(
              Problem.of(
                  409,
                  "the "
                      + IDEMPOTENCY_KEY
                      + " '"
                      + key
                      + "' was voided ("
                      + voided.status()
                      + "): nothing was charged now; "
                      + "send a new key for a new payment"));
    }
  }

  /**
   * {@code GET /api/payments/by-key/{key}}: the payment of an idempotency key, whatever its status.
   *
   * @param ctx the request
   * @throws InterruptedException when injected latency is interrupted by shutdown
   * @throws ProblemException 404 when the key was never seen, 503 for an injected failure
   */
  public void find(Context ctx) throws InterruptedException {
    String key = ctx.pathParam("key");
    faults.apply();
    ctx.json(
        ledger
            .find(key)
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "no payment has the " + IDEMPOTENCY_KEY + " '" + key + "'")));
  }

  /**
   * {@code POST /api/payments/by-key/{key}/void}: refunds the key's captured payment, or forbids
   * any later capture under the key when nothing was captured. Idempotent: voiding twice answers
   * the same.
   *
   * @param ctx the request
   * @throws InterruptedException when injected latency is interrupted by shutdown
   * @throws ProblemException 400 for a malformed key, 503 for an injected failure
   */
  public void voidKey(Context ctx) throws InterruptedException {
    String key = ctx.pathParam("key");
    if (!RequestIds.isValid(key)) {
      throw new ProblemException(
          Problem.of(
              400,
              "'"
                  + key
                  + "' is not an idempotency key: "
                  + "1 to 128 characters of [A-Za-z0-9._:-]"));
    }
    faults.apply();
    boolean wasCaptured =
        ledger.find(key).map(p -> p.status().equals(Payment.CAPTURED)).orElse(false);
    Payment now = ledger.voidKey(key, "USD");
    if (wasCaptured && now.status().equals(Payment.REFUNDED)) {
      payments.labelValues(Payment.REFUNDED, now.method()).inc();
      LOG.atInfo()
          .addKeyValue("payment_id", now.id())
          .addKeyValue("amount_cents", now.amountCents())
          .log("payment {} refunded", now.id());
    } else if (now.status().equals(Payment.VOIDED) && now.id() == null) {
      payments.labelValues(Payment.VOIDED, "none").inc();
    }
    ctx.json(now);
  }
}
