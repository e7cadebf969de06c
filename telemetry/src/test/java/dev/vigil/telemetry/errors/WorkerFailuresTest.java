package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Failures of background workers (a scheduled pass, a queue consumer, a thread that dies) are error
 * groups like requests' failures. Regression: only the 500s of requests reached the tracker, so a
 * failing worker left no error group, no {@code app_exceptions_total} and, for a thread that died,
 * nothing in the JSON log.
 */
class WorkerFailuresTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ErrorTracker tracker =
      ErrorTracker.builder().service("shop").release("2.0.0").registry(registry).build();

  @BeforeEach
  void listen() {
    log.start();
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).addAppender(log);
  }

  @AfterEach
  void stopListening() {
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).detachAppender(log);
  }

  @Test
  void aFailingWorkerLeftNoErrorGroupNowItIsGroupedCountedAndLoggedNamingTheWorker()
      throws Exception {
    Thread worker =
        Thread.ofPlatform()
            .name("nightly-export")
            .start(
                () -> {
                  for (int pass = 1; pass <= 3; pass++) {
                    try {
                      exportPass(pass);
                    } catch (IllegalStateException e) {
                      tracker.recordWorkerFailure("nightly-export", "export pass failed", e);
                    }
                  }
                });
    worker.join(Duration.ofSeconds(10));

    assertThat(tracker.groups()).hasSize(1);
    ErrorGroup group = tracker.groups().getFirst();
    assertThat(group.count()).isEqualTo(3);
    assertThat(group.workers()).containsExactly("nightly-export");
    assertThat(group.traceIds()).as("no trace on the worker's thread: none invented").isEmpty();
    assertThat(group.requestIds()).isEmpty();
    assertThat(group.frames().getFirst())
        .isEqualTo(WorkerFailuresTest.class.getName() + "#exportPass");
    assertThat(group.toJson()).containsEntry("workers", List.of("nightly-export"));
    assertThat(counter("app_exceptions", IllegalStateException.class.getName())).isEqualTo(3);

    List<ILoggingEvent> errors = at(Level.ERROR);
    assertThat(errors).as("each failure logged once, at ERROR").hasSize(3);
    assertThat(errors.getFirst().getFormattedMessage())
        .contains("export pass failed")
        .contains("nightly-export")
        .contains("export of batch 1 failed");
    assertThat(errors.getFirst().getThrowableProxy()).as("with its stack trace").isNotNull();
    assertThat(keyValues(errors.getFirst()))
        .containsEntry("worker", "nightly-export")
        .containsEntry("fingerprint", group.fingerprint());
    assertThat(at(Level.WARN))
        .as("the new group announced once, naming the worker")
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.getFormattedMessage())
                    .contains("new error group " + group.fingerprint())
                    .contains("worker=nightly-export"));
  }

  @Test
  void aWorkerFailingInsideATraceListsThatTraceId() {
    String traceId;
    try (Tracing tracing = Tracing.fromEnvironment("shop", Map.of("OTEL_TRACES_EXPORTER", "none"));
        ActiveSpan consume = tracing.span("process confirmations").start()) {
      traceId = consume.traceId();
      tracker.recordWorkerFailure(
          "confirmations-worker", "cannot send", new IllegalArgumentException("no address"));
    }

    ErrorGroup group = tracker.groups().getFirst();
    assertThat(group.traceIds()).containsExactly(traceId);
    assertThat(group.workers()).containsExactly("confirmations-worker");
  }

  @Test
  void aWorkerThreadKilledByAnUncaughtErrorIsRecordedNotLostOnStandardError() throws Exception {
    Thread dying =
        Thread.ofVirtual()
            .name("sweeper")
            .uncaughtExceptionHandler(tracker.uncaughtIn("sweeper"))
            .start(
                () -> {
                  throw new StackOverflowError("deep");
                });
    dying.join(Duration.ofSeconds(10));

    assertThat(tracker.groups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.type()).isEqualTo(StackOverflowError.class.getName());
              assertThat(g.workers()).containsExactly("sweeper");
            });
    assertThat(at(Level.ERROR))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("sweeper").contains("died"));
  }

  private static void exportPass(int pass) {
    throw new IllegalStateException("export of batch " + pass + " failed");
  }

  private static Map<String, String> keyValues(ILoggingEvent event) {
    Map<String, String> kv = new HashMap<>();
    event.getKeyValuePairs().forEach(p -> kv.put(p.key, String.valueOf(p.value)));
    return kv;
  }

  private List<ILoggingEvent> at(Level level) {
    return log.list.stream().filter(e -> e.getLevel() == level).toList();
  }

  private double counter(String name, String type) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        return ((CounterSnapshot) snapshot)
            .getDataPoints().stream()
                .filter(p -> type.equals(p.getLabels().get("type")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
      }
    }
    return 0;
  }
}
