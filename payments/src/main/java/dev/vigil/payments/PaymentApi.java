package dev.vigil.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.logging.RequestIds;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/payments}: captures a payment, idempotently.
 *
 * <p>Every request carries an {@code Idempotency-Key} header (IETF draft "The Idempotency-Key HTTP Header
 * Field"): a retry with the same key answers the payment captured the first time (200 instead of 201)
 * and charges nothing again, which is what makes the caller's retries safe. The provider remembers the
 * last {@value #REMEMBERED_KEYS} keys. Outcomes are counted in
 * {@code payments_total{status="captured"|"failed",method}}.
 */
public final class PaymentApi {

  /** The request header that makes a payment idempotent. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Accepted payment methods (a closed set: it is a label value). */
  public static final List<String> METHODS = List.of("card", "paypal", "bank_transfer");

  /** How many idempotency keys are remembered (oldest forgotten first). */
  public static final int REMEMBERED_KEYS = 10_000;

  /** Largest amount of one payment, in cents. */
  public static final long MAX_AMOUNT_CENTS = 100_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(PaymentApi.class);

  /** The body of {@code POST /api/payments}. */
  record NewPayment(@JsonProperty("amount_cents") Long amountCents, String method, String reference) {}

  private final Faults faults;
  private final Counter payments;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Payment> byKey = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Payment> eldest) {
      return size() > REMEMBERED_KEYS;
    }
  };

  /**
   * @param faults injected failures and latency
   * @param registry where {@code payments_total} is registered
   */
  public PaymentApi(Faults faults, PrometheusRegistry registry) {
    this.faults = faults;
    this.payments = Counter.builder().name("payments_total")
        .help("Payment requests by outcome (captured, failed) and method")
        .labelNames("status", "method").register(registry);
  }

  /**
   * Captures a payment: 201 with the payment, or 200 with the earlier one when the key was seen.
   *
   * @param ctx the request with header {@code Idempotency-Key} (1..128 characters of
   *     {@code [A-Za-z0-9._:-]}) and body {@code {"amount_cents":1299,"method":"card","reference":"order-42"}}
   * @throws InterruptedException when injected latency is interrupted by shutdown
   * @throws ProblemException 400 without a valid key, 422 for an invalid field, 503 for an injected failure
   */
  public void capture(Context ctx) throws InterruptedException {
    String key = ctx.header(IDEMPOTENCY_KEY);
    if (!RequestIds.isValid(key)) {
      throw new ProblemException(Problem.of(400, "the " + IDEMPOTENCY_KEY + " header is "
          + (key == null ? "missing" : "malformed") + ": send 1 to 128 characters of [A-Za-z0-9._:-], "
          + "the same value on every retry of one payment"));
    }
    NewPayment body = JsonBody.read(ctx, NewPayment.class);
    if (body.method() == null || !METHODS.contains(body.method())) {
      throw ProblemException.invalidField("method", "is required: one of " + METHODS);
    }
    if (body.amountCents() == null || body.amountCents() < 1 || body.amountCents() > MAX_AMOUNT_CENTS) {
      throw ProblemException.invalidField("amount_cents", "is required: an integer from 1 to " + MAX_AMOUNT_CENTS);
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
    Payment existing;
    Payment created = null;
    synchronized (byKey) {
      existing = byKey.get(key);
      if (existing == null) {
        created = new Payment("pay_" + ids.incrementAndGet(), "captured", body.amountCents(), body.method(),
            body.reference());
        byKey.put(key, created);
      }
    }
    if (created == null) {
      ctx.status(200).json(existing);
      return;
    }
    payments.labelValues("captured", body.method()).inc();
    LOG.atInfo().addKeyValue("payment_id", created.id()).addKeyValue("amount_cents", created.amountCents())
        .addKeyValue("method", created.method()).log("payment {} captured", created.id());
    ctx.status(201).json(created);
  }
}
