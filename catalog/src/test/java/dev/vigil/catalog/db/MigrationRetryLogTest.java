package dev.vigil.catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.telemetry.errors.ErrorGroup;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.errors.RetriedFailures;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The schema migration retrying against a database that is down at start (the real PostgreSQL JDBC
 * driver connecting to a closed port). Regression: every attempt, one every 2 seconds, logged the
 * full stack trace of the same connection failure.
 */
class MigrationRetryLogTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<Logger> loggers =
      List.of(
          (Logger) LoggerFactory.getLogger(ErrorTracker.class),
          (Logger) LoggerFactory.getLogger(RetriedFailures.class));

  @BeforeEach
  void listen() {
    log.start();
    loggers.forEach(l -> l.addAppender(log));
  }

  @AfterEach
  void stopListening() {
    loggers.forEach(l -> l.detachAppender(log));
  }

  @Test
  void aDatabaseDownAtStartLoggedAStackTraceEveryTwoSecondsNowOnceThenOneLinePerRetry()
      throws Exception {
    ErrorTracker errors = ErrorTracker.builder().service("catalog").build();
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/catalog?connectTimeout=2";
    try (Database database =
        new Database(
            CatalogConfig.fromEnvironment(Map.of("VIGIL_DB_URL", url)),
            new PrometheusRegistry(),
            Tracing.off())) {
      Migrations migrations = new Migrations(database, errors);
      migrations.startInBackground();
      try {
        assertThat(migrations.awaitFirstAttempt()).as("the database is down").isFalse();
        Snapshot seen = awaitAttempts(errors, 3);

        assertThat(seen.group().workers()).containsExactly(Migrations.WORKER);
        assertThat(seen.withStackTrace()).as("one stack trace for the one failure").hasSize(1);
        assertThat(seen.withStackTrace().getFirst().getLevel()).isEqualTo(Level.ERROR);
        assertThat(seen.oneLiners())
            .as("every other attempt one line, and the group counts every attempt")
            .hasSize((int) seen.group().count() - 1);
        assertThat(seen.oneLiners().getFirst().getFormattedMessage())
            .contains("schema migration failed, retrying in 2 s in worker migrations (attempt 2")
            .contains(seen.group().fingerprint())
            .doesNotContain("\n");
      } finally {
        migrations.stopRetrying();
      }
    }
  }

  /** Waits for a consistent view with at least {@code attempts} failed attempts counted. */
  private Snapshot awaitAttempts(ErrorTracker errors, int attempts) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Snapshot now = snapshot(errors);
      if (now != null
          && now.group().count() >= attempts
          && now.withStackTrace().size() + now.oneLiners().size() == now.group().count()) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no " + attempts + " logged migration attempts within 60 s: " + errors.groups());
  }

  private Snapshot snapshot(ErrorTracker errors) {
    List<ErrorGroup> groups = errors.groups();
    List<ILoggingEvent> lines;
    synchronized (log) {
      lines = List.copyOf(log.list);
    }
    if (groups.size() != 1) {
      assertThat(groups).as("one failure, one group").isEmpty();
      return null;
    }
    return new Snapshot(
        groups.getFirst(),
        lines.stream().filter(e -> e.getThrowableProxy() != null).toList(),
        lines.stream()
            .filter(e -> e.getLevel() == Level.WARN && e.getThrowableProxy() == null)
            .filter(e -> !e.getFormattedMessage().startsWith("new error group"))
            .toList());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Snapshot(
      ErrorGroup group, List<ILoggingEvent> withStackTrace, List<ILoggingEvent> oneLiners) {}
}
