package dev.vigil.catalog.payment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.resilience.CircuitStateGauge;
import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.HttpClientTracing;
import dev.vigil.telemetry.tracing.Tracing;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog's client of the payment provider ({@code POST /api/payments}).
 *
 * <ul>
 *   <li>timeout: each attempt waits at most {@code VIGIL_PAYMENTS_TIMEOUT};
 *   <li>retries: up to {@value #MAX_ATTEMPTS} attempts with exponential backoff (100 ms, 200 ms)
 *       for failures that are safe to retry: timeouts, connection errors, 429 and 5xx answers.
 *       Retrying a POST is safe because every attempt of one order carries the same {@code
 *       Idempotency-Key}, so the provider charges once;
 *   <li>honesty: a failed charge says whether its outcome is unknown (an attempt timed out or lost
 *       its connection after sending, so the provider may have captured) or known (nothing was
 *       captured), and a 2xx answer is accepted only when it is this payment (key, amount,
 *       currency);
 *   <li>reconciliation: {@link #find} (look-up by idempotency key) and {@link #voidPayment}
 *       (refund, or forbid a later capture under the key) settle payments whose outcome was
 *       unknown;
 *   <li>circuit breaker (Resilience4j): when at least half of the last 10 attempts failed (5 at
 *       least), it opens and payments fail at once for {@code VIGIL_PAYMENTS_BREAKER_WAIT}, then
 *       one trial attempt decides whether it closes again.
 * </ul>
 *
 * Metrics: {@code payment_client_attempts_total{outcome}} (success, server_error, client_error,
 * timeout, connection_error), {@code payment_client_retries_total}, {@code
 * payment_client_not_permitted_total} (rejected by the open breaker), {@code
 * payment_client_circuit_state{state}} (1 for the current state of closed, open, half_open) and
 * {@code payment_client_duration_seconds} (a whole payment, retries included). Every attempt is a
 * CLIENT span whose {@code traceparent} makes the provider's span its child.
 */
public final class PaymentClient {

  /** Most attempts per payment (1 + 2 retries). */
  public static final int MAX_ATTEMPTS = 3;

  /**
   * How long the health check waits for the provider's {@code /readyz}: well under the health
   * registry's limit (2 s), so a hanging provider reads as degraded rather than as a check that
   * never answered.
   */
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /**
   * A failure worth retrying and counting against the provider. {@code uncertain}: the request may
   * have reached the provider and captured (a timeout, a connection lost after sending); otherwise
   * the provider answered that it did not capture, or was never reached.
   */
  private static final class ProviderFailure extends RuntimeException {
    final boolean uncertain;

    ProviderFailure(String message, Throwable cause, boolean uncertain) {
      super(message, cause, false, false);
      this.uncertain = uncertain;
    }
  }

  /** The provider refused the capture for good (4xx): nothing was charged by this call. */
  private static final class ProviderRefusal extends RuntimeException {
    ProviderRefusal(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A payment as the provider records it.
   *
   * @param paymentId the provider's id, e.g. {@code pay_17}; {@code null} for a key voided before
   *     capture
   * @param status {@code captured}, {@code refunded} or {@code voided}
   * @param amountCents amount in cents
   * @param currency ISO 4217 code
   * @param idempotencyKey the key it was captured (or voided) under
   */
  public record ProviderPayment(
      String paymentId, String status, long amountCents, String currency, String idempotencyKey) {

    /** Whether money is held by the provider under this payment. */
    public boolean captured() {
      return "captured".equals(status);
    }

    /**
     * Whether this is the payment asked for: same key, amount and currency.
     *
     * @param key the idempotency key
     * @param amount amount in cents
     * @param currencyCode ISO 4217 code
     * @return {@code true} when all three match
     */
    public boolean matches(String key, long amount, String currencyCode) {
      return key.equals(idempotencyKey) && amount == amountCents && currencyCode.equals(currency);
    }
  }

  private final URI endpoint;
  private final URI byKey;
  private final Duration timeout;
  private final Duration breakerWait;
  private final String authorization;

  /**
   * The JDK client loads the TLS stack when it is built (a few hundred milliseconds at start), so
   * it is built on its own thread while the service starts; calls wait for it.
   */
  private final CompletableFuture<HttpClient> http;

  private final HttpClientTracing tracing;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final Counter attempts;
  private final Histogram duration;

  /**
   * @param baseUrl the provider, e.g. {@code http://127.0.0.1:8001}
   * @param timeout longest wait for one attempt
   * @param breakerWait how long the open breaker rejects calls before a trial attempt
   * @param tracing the catalog's tracing (client spans, {@code traceparent})
   * @param registry where the client's metrics are registered
   * @param token the provider's API token, sent as {@code Authorization: Bearer <token>} on every
   *     call ({@code VIGIL_PAYMENTS_TOKEN}), or {@code null} for a provider without one
   */
  public PaymentClient(
      URI baseUrl,
      Duration timeout,
      Duration breakerWait,
      Tracing tracing,
      PrometheusRegistry registry,
      String token) {
    this.authorization = token == null ? null : "Bearer " + token;
    this.endpoint = URI.create(baseUrl + "/api/payments");
    this.byKey = URI.create(baseUrl + "/api/payments/by-key/");
    this.timeout = timeout;
    this.breakerWait = breakerWait;
    this.http =
        CompletableFuture.supplyAsync(
            () ->
                HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .build(),
            task -> Thread.ofVirtual().name("payment-client-start").start(task));
    this.tracing = new HttpClientTracing(tracing, "payments");
    this.breaker =
        CircuitBreaker.of(
            "payments",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(breakerWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof ProviderFailure)
                .build());
    this.retry =
        Retry.of(
            "payments",
            RetryConfig.custom()
                .maxAttempts(MAX_ATTEMPTS)
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0))
                .retryOnException(e -> e instanceof ProviderFailure)
                .build());
    this.attempts =
        Counter.builder()
            .name("payment_client_attempts_total")
            .help("HTTP attempts to the payment provider by outcome")
            .labelNames("outcome")
            .register(registry);
    Counter retries =
        Counter.builder()
            .name("payment_client_retries_total")
            .help("Payment attempts that were retried after a failure")
            .register(registry);
    Counter notPermitted =
        Counter.builder()
            .name("payment_client_not_permitted_total")
            .help("Payments rejected at once because the circuit breaker was open")
            .register(registry);
    this.duration =
        Histogram.builder()
            .name("payment_client_duration_seconds")
            .help("Time to take one payment, retries and backoff included, in seconds")
            .classicOnly()
            .classicUpperBounds(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)
            .register(registry);
    CircuitStateGauge.register(
        registry,
        "payment_client_circuit_state",
        "State of the payment provider's circuit breaker: 1 for the current state",
        breaker);
    retry.getEventPublisher().onRetry(event -> retries.inc());
    breaker.getEventPublisher().onCallNotPermitted(event -> notPermitted.inc());
  }

  /**
   * Captures a payment and checks that the provider's answer is this payment: same idempotency key,
   * amount and currency.
   *
   * @param idempotencyKey globally unique per order attempt (a UUID), the same for every retry
   * @param amountCents the amount, in cents
   * @param currency ISO 4217 code, e.g. {@code USD}
   * @param method {@code card}, {@code paypal} or {@code bank_transfer}
   * @return the captured payment
   * @throws PaymentUnavailableException when no capture was confirmed; its {@link
   *     PaymentUnavailableException#outcomeUnknown()} says whether the provider may have captured
   *     anyway (a timeout, a lost connection, an answer that is not this payment)
   */
  public ProviderPayment charge(
      String idempotencyKey, long amountCents, String currency, String method)
      throws PaymentUnavailableException {
    long start = System.nanoTime();
    AtomicInteger attempt = new AtomicInteger();
    AtomicBoolean uncertain = new AtomicBoolean();
    try {
      ProviderPayment payment =
          Retry.decorateSupplier(
                  retry,
                  CircuitBreaker.decorateSupplier(
                      breaker,
                      () -> {
                        try {
                          return attempt(
                              idempotencyKey,
                              amountCents,
                              currency,
                              method,
                              attempt.getAndIncrement());
                        } catch (ProviderFailure e) {
                          if (e.uncertain) {
                            uncertain.set(true);
                          }
                          throw e;
                        }
                      }))
              .get();
      if (!payment.captured() || !payment.matches(idempotencyKey, amountCents, currency)) {
        throw PaymentUnavailableException.uncertain(
            "the payment provider answered a payment that is not this one ("
                + payment
                + " for key "
                + idempotencyKey
                + ", "
                + amountCents
                + " "
                + currency
                + ")",
            null);
      }
      return payment;
    } catch (CallNotPermittedException e) {
      throw PaymentUnavailableException.breakerOpen(breakerWait, e, uncertain.get());
    } catch (ProviderFailure e) {
      throw PaymentUnavailableException.failed(
          "the payment provider failed " + attempt.get() + " time(s): " + e.getMessage(),
          e,
          uncertain.get());
    } catch (ProviderRefusal e) {
      throw PaymentUnavailableException.failed(e.getMessage(), e, uncertain.get());
    } finally {
      duration.observe((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Looks a payment up by its idempotency key (one attempt, no retry, outside the circuit breaker:
   * the reconciler's own schedule is its retry).
   *
   * @param idempotencyKey the key a capture was attempted under
   * @return the payment, or empty when the provider never saw the key
   * @throws PaymentUnavailableException when the provider did not answer 200 or 404
   */
  public Optional<ProviderPayment> find(String idempotencyKey) throws PaymentUnavailableException {
    HttpResponse<String> response =
        call(HttpRequest.newBuilder(byKey.resolve(idempotencyKey)).GET(), "look-up");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(parse(response, "look-up"));
  }

  /**
   * Voids a key at the provider: refunds its capture, or forbids any later capture under it.
   * Idempotent.
   *
   * @param idempotencyKey the key
   * @return the payment as it now stands ({@code refunded} or {@code voided})
   * @throws PaymentUnavailableException when the provider did not answer 200
   */
  public ProviderPayment voidPayment(String idempotencyKey) throws PaymentUnavailableException {
    return parse(
        call(
            HttpRequest.newBuilder(byKey.resolve(idempotencyKey + "/void"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            "void"),
        "void");
  }

  private HttpResponse<String> call(HttpRequest.Builder request, String what)
      throws PaymentUnavailableException {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.join()
          .send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw PaymentUnavailableException.uncertain(
          "payment "
              + what
              + " failed: cannot reach the provider ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PaymentUnavailableException.uncertain("payment " + what + " interrupted", e);
    }
  }

  private static ProviderPayment parse(HttpResponse<String> response, String what)
      throws PaymentUnavailableException {
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw PaymentUnavailableException.uncertain(
          "payment " + what + " answered " + response.statusCode(), null);
    }
    try {
      JsonNode p = JsonBody.mapper().readTree(response.body());
      return new ProviderPayment(
          p.path("payment_id").isNull() ? null : p.path("payment_id").asText(null),
          p.path("status").asText(),
          p.path("amount_cents").asLong(),
          p.path("currency").asText(),
          p.path("idempotency_key").asText());
    } catch (IOException e) {
      throw PaymentUnavailableException.uncertain(
          "payment " + what + " answered a body that is not JSON", e);
    }
  }

  /**
   * The provider as a dependency of the catalog: degraded (never unhealthy: orders fail, browsing
   * works) while the breaker is not closed or the provider's readiness probe does not answer 200
   * within 500 ms.
   *
   * @return {@link HealthStatus#HEALTHY} or {@link HealthStatus#DEGRADED}
   */
  public HealthStatus health() {
    if (breaker.getState() != CircuitBreaker.State.CLOSED) {
      return HealthStatus.DEGRADED;
    }
    try {
      HttpResponse<Void> ready =
          http.join()
              .send(
                  HttpRequest.newBuilder(endpoint.resolve("/readyz"))
                      .timeout(PROBE_TIMEOUT)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return ready.statusCode() == 200 ? HealthStatus.HEALTHY : HealthStatus.DEGRADED;
    } catch (IOException e) {
      return HealthStatus.DEGRADED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HealthStatus.DEGRADED;
    }
  }

  private ProviderPayment attempt(
      String idempotencyKey, long amountCents, String currency, String method, int resendCount) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"amount_cents\":"
                        + amountCents
                        + ",\"currency\":\""
                        + currency
                        + "\",\"method\":\""
                        + method
                        + "\",\"reference\":\""
                        + idempotencyKey
                        + "\"}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (ActiveSpan span = tracing.start(request, "POST", endpoint, resendCount)) {
      HttpResponse<String> response;
      try {
        response = http.join().send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        attempts.labelValues("timeout").inc();
        span.fail(e);
        // a connect timeout never sent the request; a request timeout may have been captured
        throw new ProviderFailure(
            "no answer within " + timeout.toMillis() + " ms",
            e,
            !(e instanceof java.net.http.HttpConnectTimeoutException));
      } catch (ConnectException e) {
        attempts.labelValues("connection_error").inc();
        span.fail(e);
        throw new ProviderFailure(
            "cannot reach " + endpoint + " (" + e.getClass().getSimpleName() + ")", e, false);
      } catch (IOException e) {
        attempts.labelValues("connection_error").inc();
        span.fail(e);
        throw new ProviderFailure(
            "lost the connection to " + endpoint + " (" + e.getClass().getSimpleName() + ")",
            e,
            true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        span.fail(e);
        throw new ProviderFailure("interrupted while waiting for the provider", e, true);
      }
      int status = response.statusCode();
      HttpClientTracing.recordStatus(span, status);
      if (status / 100 == 2) {
        attempts.labelValues("success").inc();
        try {
          JsonNode payment = JsonBody.mapper().readTree(response.body());
          return new ProviderPayment(
              payment.get("payment_id").asText(),
              payment.path("status").asText(),
              payment.path("amount_cents").asLong(),
              payment.path("currency").asText(),
              payment.path("idempotency_key").asText());
        } catch (IOException | NullPointerException e) {
          throw new ProviderFailure("it answered " + status + " without a payment_id", e, true);
        }
      }
      if (status == 429 || status >= 500) {
        attempts.labelValues("server_error").inc();
        throw new ProviderFailure("it answered " + status, null, false);
      }
      attempts.labelValues("client_error").inc();
      throw new ProviderRefusal(
          "the payment provider refused the payment with " + status + ": " + response.body());
    }
  }
}
