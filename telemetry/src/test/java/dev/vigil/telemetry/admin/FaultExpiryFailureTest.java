package dev.vigil.telemetry.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.telemetry.errors.ErrorGroup;
import dev.vigil.telemetry.errors.ErrorTracker;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure on the fault-expiry timer thread is visible. Regression: the scheduled executor kept
 * the task's exception in a future nobody read, so an expiry that failed left no log line, no error
 * group and no {@code app_exceptions_total}: the fault's healing failed in silence.
 */
class FaultExpiryFailureTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<Logger> loggers =
      List.of(
          (Logger) LoggerFactory.getLogger(FaultRegistry.class),
          (Logger) LoggerFactory.getLogger(ErrorTracker.class));
  private FaultRegistry faults;

  @BeforeEach
  void listen() {
    log.start();
    loggers.forEach(l -> l.addAppender(log));
  }

  @AfterEach
  void stop() {
    loggers.forEach(l -> l.detachAppender(log));
    if (faults != null) {
      faults.close();
    }
  }

  @Test
  void aFailedFaultExpiryWasSilentNowItIsAnErrorGroupOfTheExpiryWorkerAndLogged() {
    ErrorTracker errors = ErrorTracker.builder().service("shop").build();
    faults =
        new FaultRegistry(
            new PrometheusRegistry(), AdminServerTest.specs(), errors, new FailingOnExpiryThread());

    faults.set("db_unavailable", null, Map.of(), Duration.ofMillis(20), "drill");
    awaitTrue(() -> !errors.groups().isEmpty() && !errorLines().isEmpty());

    ErrorGroup group = errors.groups().getFirst();
    assertThat(group.workers()).containsExactly(FaultRegistry.EXPIRY_WORKER);
    assertThat(group.type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(group.count()).isEqualTo(1);
    assertThat(errorLines())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getFormattedMessage())
                  .contains("expiry of fault db_unavailable on * failed")
                  .contains(FaultRegistry.EXPIRY_WORKER);
              assertThat(e.getThrowableProxy()).as("with its stack trace").isNotNull();
            });
    assertThat(faults.on("db_unavailable")).as("the fault still healed").isFalse();
  }

  @Test
  void withoutAnErrorTrackerAFailedFaultExpiryIsStillLoggedAtError() {
    faults =
        new FaultRegistry(
            new PrometheusRegistry(), AdminServerTest.specs(), null, new FailingOnExpiryThread());

    faults.set("db_unavailable", null, Map.of(), Duration.ofMillis(20), "drill");
    awaitTrue(() -> !errorLines().isEmpty());

    ILoggingEvent line = errorLines().getFirst();
    assertThat(line.getLoggerName()).isEqualTo(FaultRegistry.class.getName());
    assertThat(line.getFormattedMessage())
        .contains("expiry of fault db_unavailable on * failed")
        .contains("clock unavailable");
    assertThat(line.getThrowableProxy()).isNotNull();
  }

  private List<ILoggingEvent> errorLines() {
    synchronized (log) {
      return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The system clock, except on the expiry timer's thread, where reading it fails. */
  private static final class FailingOnExpiryThread extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      if (Thread.currentThread().getName().equals(FaultRegistry.EXPIRY_WORKER)) {
        throw new IllegalStateException("clock unavailable");
      }
      return Instant.now();
    }
  }
}
