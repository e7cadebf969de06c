package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A retry loop's failures: every attempt counted, one stack trace per distinct failure. Regression:
 * a worker retrying every 2 seconds logged the full stack trace of the same failure at every
 * attempt, burying the log.
 */
class RetriedFailuresTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<Logger> loggers =
      List.of(
          (Logger) LoggerFactory.getLogger(ErrorTracker.class),
          (Logger) LoggerFactory.getLogger(RetriedFailures.class));
  private final ErrorTracker errors = ErrorTracker.builder().service("shop").build();
  private final RetriedFailures failures = new RetriedFailures(errors, "migrations");

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
  void aRetryLoopLoggedAStackTraceEveryAttemptNowOncePerDistinctFailureAndOneLineOtherwise() {
    ErrorOccurrence refused = failures.failed("migration failed, retrying", connectionRefused());
    failures.failed("migration failed, retrying", connectionRefused());
    ErrorOccurrence auth = failures.failed("migration failed, retrying", authenticationFailed());
    failures.failed("migration failed, retrying", connectionRefused());
    failures.failed("migration failed, retrying", authenticationFailed());

    assertThat(refused.fingerprint()).isNotEqualTo(auth.fingerprint());
    assertThat(count(refused)).as("every attempt counted").isEqualTo(3);
    assertThat(count(auth)).isEqualTo(2);
    List<ILoggingEvent> full = withStackTrace();
    assertThat(full).as("one stack trace per distinct failure").hasSize(2);
    assertThat(full).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR));
    List<ILoggingEvent> brief = oneLiners();
    assertThat(brief).hasSize(3);
    assertThat(brief.getFirst().getFormattedMessage())
        .contains("migration failed, retrying in worker migrations (attempt 2")
        .contains("error group " + refused.fingerprint().value())
        .contains("stack trace logged at attempt 1")
        .contains("connection refused: 127.0.0.1:5432 --- SQL State: 08001")
        .doesNotContain("\n");
  }

  @Test
  void afterASuccessTheNextOutageLogsItsStackTraceAgain() {
    failures.failed("migration failed, retrying", connectionRefused());
    failures.failed("migration failed, retrying", connectionRefused());
    failures.succeeded();
    failures.failed("migration failed, retrying", connectionRefused());

    assertThat(withStackTrace()).hasSize(2);
    assertThat(oneLiners()).hasSize(1);
    assertThat(errors.groups().getFirst().count()).isEqualTo(3);
  }

  private long count(ErrorOccurrence occurrence) {
    return errors.groups().stream()
        .filter(g -> g.fingerprint().equals(occurrence.fingerprint().value()))
        .findFirst()
        .orElseThrow()
        .count();
  }

  private List<ILoggingEvent> withStackTrace() {
    return log.list.stream().filter(e -> e.getThrowableProxy() != null).toList();
  }

  private List<ILoggingEvent> oneLiners() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getThrowableProxy() == null)
        .filter(e -> !e.getFormattedMessage().startsWith("new error group"))
        .toList();
  }

  /** A multi-line message, as Flyway's are. */
  private static IllegalStateException connectionRefused() {
    return new IllegalStateException("connection refused: 127.0.0.1:5432\n---\nSQL State: 08001");
  }

  private static IllegalArgumentException authenticationFailed() {
    return new IllegalArgumentException("password authentication failed for user vigil");
  }
}
