package dev.vigil.catalog.payment;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog's client of the payment provider ({@code POST /api/payments}).
 *
 * <ul>
 *   <li>timeout: each attempt waits at most {@code VIGIL_PAYMENTS_TIMEOUT};</li>
 *   <li>retries: up to {@value #MAX_ATTEMPTS} attempts with exponential backoff (100 ms, 200 ms) for
 *       failures that are safe to retry: timeouts, connection errors, 429 and 5xx answers. Retrying a
 *       POST is safe because every attempt of one order carries the same {@code Idempotency-Key}, so
 *       the provider charges once;</li>
 *   <li>circuit breaker (Resilience4j): when at least half of the last 10 attempts failed (5 at
 *       least), it opens and payments fail at once for {@code VIGIL_PAYMENTS_BREAKER_WAIT}, then one
 *       trial attempt decides whether it closes again.</li>
 * </ul>
 * Metrics: {@code payment_client_attempts_total{outcome}} (success, server_error, client_error,
 * timeout, connection_error), {@code payment_client_retries_total},
 * {@code payment_client_not_permitted_total} (rejected by the open breaker),
 * {@code payment_client_circuit_state{state}} (1 for the current state of closed, open, half_open) and
 * {@code payment_client_duration_seconds} (a whole payment, retries included). Every attempt is a CLIENT
 * span whose {@code traceparent} makes the provider's span its child.
 */
public final class PaymentClient {

  /** Most attempts per payment (1 + 2 retries). */
  public static final int MAX_ATTEMPTS = 3;

  /**
   * How long the health check waits for the provider's {@code /readyz}: well under the health registry's
   * limit (2 s), so a hanging provider reads as degraded rather than as a check that never answered.
   */
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /** A failure worth retrying and counting against the provider. */
  private static final class ProviderFailure extends RuntimeException {
    ProviderFailure(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final URI endpoint;
  private final Duration timeout;
  private final Duration breakerWait;
  /**
   * The JDK client loads the TLS stack when it is built (a few hundred milliseconds at start), so it is
   * built on its own thread while the service starts; calls wait for it.
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
   */
  public PaymentClient(URI baseUrl, Duration timeout, Duration breakerWait, Tracing tracing,
      PrometheusRegistry registry) {
    this.endpoint = URI.create(baseUrl + "/api/payments");
    this.timeout = timeout;
    this.breakerWait = breakerWait;
    this.http = CompletableFuture.supplyAsync(
        () -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build(),
        task -> Thread.ofVirtual().name("payment-client-start").start(task));
    this.tracing = new HttpClientTracing(tracing, "payments");
    this.breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .waitDurationInOpenState(breakerWait)
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(e -> e instanceof ProviderFailure)
        .build());
    this.retry = Retry.of("payments", RetryConfig.custom()
        .maxAttempts(MAX_ATTEMPTS)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0))
        .retryOnException(e -> e instanceof ProviderFailure)
        .build());
    this.attempts = Counter.builder().name("payment_client_attempts_total")
        .help("HTTP attempts to the payment provider by outcome").labelNames("outcome").register(registry);
    Counter retries = Counter.builder().name("payment_client_retries_total")
        .help("Payment attempts that were retried after a failure").register(registry);
    Counter notPermitted = Counter.builder().name("payment_client_not_permitted_total")
        .help("Payments rejected at once because the circuit breaker was open").register(registry);
    this.duration = Histogram.builder().name("payment_client_duration_seconds")
        .help("Time to take one payment, retries and backoff included, in seconds")
        .classicOnly().classicUpperBounds(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10).register(registry);
    GaugeWithCallback.builder().name("payment_client_circuit_state")
        .help("State of the payment provider's circuit breaker: 1 for the current state")
        .labelNames("state")
        .callback(cb -> {
          CircuitBreaker.State now = breaker.getState();
          for (CircuitBreaker.State state : new CircuitBreaker.State[] {
              CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
            cb.call(now == state ? 1 : 0, state.name().toLowerCase(Locale.ROOT));
          }
        })
        .register(registry);
    retry.getEventPublisher().onRetry(event -> retries.inc());
    breaker.getEventPublisher().onCallNotPermitted(event -> notPermitted.inc());
  }

  /**
   * Takes a payment.
   *
   * @param idempotencyKey the same for every attempt of one order, e.g. {@code order-42}
   * @param amountCents the amount, in cents
   * @param method {@code card}, {@code paypal} or {@code bank_transfer}
   * @return the provider's payment id, e.g. {@code pay_17}
   * @throws PaymentUnavailableException when the provider failed on every attempt or the breaker is open
   */
  public String charge(String idempotencyKey, long amountCents, String method) throws PaymentUnavailableException {
    long start = System.nanoTime();
    AtomicInteger attempt = new AtomicInteger();
    try {
      return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker,
          () -> attempt(idempotencyKey, amountCents, method, attempt.getAndIncrement()))).get();
    } catch (CallNotPermittedException e) {
      throw new PaymentUnavailableException("the payment provider is failing and its circuit breaker is open: "
          + "payments are refused at once for now", breakerWait, e);
    } catch (ProviderFailure e) {
      throw new PaymentUnavailableException("the payment provider failed " + attempt.get() + " time(s): "
          + e.getMessage(), Duration.ofSeconds(1), e);
    } finally {
      duration.observe((System.nanoTime() - start) / 1e9);
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
      HttpResponse<Void> ready = http.join().send(HttpRequest.newBuilder(endpoint.resolve("/readyz")).timeout(PROBE_TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      return ready.statusCode() == 200 ? HealthStatus.HEALTHY : HealthStatus.DEGRADED;
    } catch (IOException e) {
      return HealthStatus.DEGRADED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HealthStatus.DEGRADED;
    }
  }

  private String attempt(String idempotencyKey, long amountCents, String method, int resendCount) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString("{\"amount_cents\":" + amountCents + ",\"method\":\""
            + method + "\",\"reference\":\"" + idempotencyKey + "\"}"));
    try (ActiveSpan span = tracing.start(request, "POST", endpoint, resendCount)) {
      HttpResponse<String> response;
      try {
        response = http.join().send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        attempts.labelValues("timeout").inc();
        span.fail(e);
        throw new ProviderFailure("no answer within " + timeout.toMillis() + " ms", e);
      } catch (IOException e) {
        attempts.labelValues("connection_error").inc();
        span.fail(e);
        throw new ProviderFailure("cannot reach " + endpoint + " (" + e.getClass().getSimpleName() + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        span.fail(e);
        throw new ProviderFailure("interrupted while waiting for the provider", e);
      }
      int status = response.statusCode();
      HttpClientTracing.recordStatus(span, status);
      if (status / 100 == 2) {
        attempts.labelValues("success").inc();
        try {
          JsonNode payment = JsonBody.mapper().readTree(response.body());
          return payment.get("payment_id").asText();
        } catch (IOException | NullPointerException e) {
          throw new IllegalStateException("the payment provider answered " + status + " without a payment_id", e);
        }
      }
      if (status == 429 || status >= 500) {
        attempts.labelValues("server_error").inc();
        throw new ProviderFailure("it answered " + status, null);
      }
      attempts.labelValues("client_error").inc();
      throw new IllegalStateException("the payment provider rejected the catalog's request with " + status
          + ": " + response.body());
    }
  }
}
