package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.telemetry.errors.ErrorOccurrence;
import dev.vigil.telemetry.errors.ErrorTracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The provider's known error fingerprints survive a restart when {@code VIGIL_DATA_DIR} is set.
 * Regression: payments held them in memory only, so every restart announced each of its known error
 * groups again at WARN as a "new error group", as if the release had brought it.
 */
class PaymentsKnownFingerprintsTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @TempDir Path dataDir;

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
  void aRestartedProviderAnnouncedItsKnownErrorGroupsAgainNowOnlyTheFirstRunDoes() {
    Map<String, String> env = Map.of("VIGIL_DATA_DIR", dataDir.toString());

    ErrorOccurrence before;
    try (PaymentsServer first = start(env)) {
      before = first.telemetry().errors().record(ledgerFailure(), null, null);
    }
    List<ILoggingEvent> announcedBefore = newGroupWarnings();
    ErrorOccurrence after;
    try (PaymentsServer restarted = start(env)) {
      after = restarted.telemetry().errors().record(ledgerFailure(), null, null);
    }

    assertThat(ErrorTracker.knownFingerprintsFile(dataDir, "payments")).exists();
    assertThat(before.firstOfGroup()).as("the first run sees the group first").isTrue();
    assertThat(announcedBefore).hasSize(1);
    assertThat(after.fingerprint()).isEqualTo(before.fingerprint());
    assertThat(after.firstOfGroup()).as("known across the restart").isFalse();
    assertThat(newGroupWarnings()).as("announced once, not again after the restart").hasSize(1);
  }

  @Test
  void withoutADataDirectoryTheKnownFingerprintsAreHeldInMemoryOnly() {
    ErrorOccurrence after;
    try (PaymentsServer first = start(Map.of())) {
      first.telemetry().errors().record(ledgerFailure(), null, null);
    }
    try (PaymentsServer restarted = start(Map.of())) {
      after = restarted.telemetry().errors().record(ledgerFailure(), null, null);
    }

    assertThat(after.firstOfGroup()).as("nothing kept across the restart").isTrue();
  }

  private static PaymentsServer start(Map<String, String> env) {
    return PaymentsServer.start(PaymentsConfig.fromEnvironment(env).withPort(0), env);
  }

  /** The same failure, from the same frames, each time it is called. */
  private static IllegalStateException ledgerFailure() {
    return new IllegalStateException("ledger unavailable");
  }

  private List<ILoggingEvent> newGroupWarnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .filter(e -> e.getFormattedMessage().startsWith("new error group"))
        .toList();
  }
}
