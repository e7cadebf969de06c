package dev.vigil.catalog.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.errors.ErrorGroup;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The confirmation worker fails into error tracking as a request does. Regression: a confirmation
 * that failed to be sent was logged and counted in {@code queue_failures_total} only, so a failing
 * confirmation worker left no error group.
 */
class ConfirmationWorkerErrorsTest {

  @Test
  void aFailingConfirmationWorkerLeftNoErrorGroupNowItIsGroupedWithTheOrdersTrace()
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    ErrorTracker errors = ErrorTracker.builder().service("catalog").registry(registry).build();
    String traceId;
    try (Tracing tracing =
        Tracing.fromEnvironment("catalog", Map.of("OTEL_TRACES_EXPORTER", "none"))) {
      ConfirmationQueue queue =
          new ConfirmationQueue(
              10,
              tracing,
              registry,
              () -> false,
              errors,
              (orderId, totalCents) -> {
                throw new IllegalStateException("the mail server refused order " + orderId);
              });
      try {
        try (ActiveSpan order = tracing.span("POST /api/orders").start()) {
          traceId = order.traceId();
          for (long id = 1; id <= 2; id++) {
            try (ConfirmationQueue.Slot slot = queue.reserve()) {
              slot.submit(id, 1999);
            }
          }
        }
        Instant deadline = Instant.now().plusSeconds(20);
        while (counter(registry, "queue_failures") < 2) {
          assertThat(Instant.now()).as("within 20 s: both sends fail").isBefore(deadline);
          Thread.sleep(20);
        }
      } finally {
        queue.drain(Duration.ofSeconds(5));
      }
    }

    assertThat(errors.groups()).as("both failed sends are one group").hasSize(1);
    ErrorGroup group = errors.groups().getFirst();
    assertThat(group.type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(group.count()).isEqualTo(2);
    assertThat(group.workers()).containsExactly(ConfirmationQueue.WORKER);
    assertThat(group.traceIds())
        .as("the worker runs in the order's trace: the group links to it")
        .containsExactly(traceId);
    assertThat(group.requestIds()).as("no request id on the worker's thread").isEmpty();
    assertThat(group.message()).isEqualTo("the mail server refused order 2");
    assertThat(counter(registry, "app_exceptions")).isEqualTo(2);
  }

  /** The sum of a counter's data points ({@code name} without {@code _total}). */
  private static double counter(PrometheusRegistry registry, String name) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        return ((CounterSnapshot) snapshot)
            .getDataPoints().stream().mapToDouble(p -> p.getValue()).sum();
      }
    }
    return 0;
  }
}
