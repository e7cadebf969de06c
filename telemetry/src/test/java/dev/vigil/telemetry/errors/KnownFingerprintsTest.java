package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The known fingerprints survive a restart of the tracker (a new process of the same service),
 * through a bounded file under the service's data directory. Regression: they were held in memory
 * only, so every restart announced every group as new at WARN, and "a new fingerprint after a
 * release is logged once" held only until the next restart.
 */
class KnownFingerprintsTest {

  @TempDir Path dataDir;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void listen() {
    log.start();
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).addAppender(log);
    ((Logger) LoggerFactory.getLogger(KnownFingerprints.class)).addAppender(log);
  }

  @AfterEach
  void stopListening() {
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger(KnownFingerprints.class)).detachAppender(log);
  }

  @Test
  void aKnownGroupIsNotAnnouncedAgainAfterARestartAndANewOneIsAnnouncedOnce() {
    try (ErrorTracker first = tracker("1.0.0", 500)) {
      first.record(failure("checkout"), null, null);
      first.record(failure("checkout"), null, null);
    }
    assertThat(newGroupLines()).as("before the restart: announced once").hasSize(1);

    log.list.clear();
    try (ErrorTracker restarted = tracker("1.0.0", 500)) {
      restarted.record(failure("checkout"), null, null);
      assertThat(newGroupLines()).as("the same release restarted: nothing new").isEmpty();
      restarted.record(failure("refund"), null, null);
      assertThat(newGroupLines()).as("a failure never seen before: announced").hasSize(1);
      assertThat(restarted.groups()).extracting(ErrorGroup::count).containsOnly(1L);
    }
  }

  @Test
  void afterAReleaseOnlyTheFingerprintsNoEarlierReleaseSawAreAnnouncedAndGroupsKeepTheirRelease() {
    try (ErrorTracker old = tracker("1.0.0", 500)) {
      old.record(failure("checkout"), null, null);
    }
    log.list.clear();

    try (ErrorTracker next = tracker("1.1.0", 500)) {
      next.record(failure("checkout"), null, null);
      next.record(failure("search"), null, null);

      assertThat(newGroupLines())
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w.getFormattedMessage())
                      .contains("release 1.1.0")
                      .contains(KnownFingerprintsTest.class.getName() + "#search"));
      assertThat(next.groups())
          .as("each group says which release first saw it")
          .extracting(g -> g.frames().getFirst().replaceAll(".*#", "") + "@" + g.release())
          .containsExactlyInAnyOrder("checkout@1.0.0", "search@1.1.0");
    }
  }

  @Test
  void theFileIsBoundedAndForgetsTheLeastRecentlySeenFirst() throws Exception {
    int capacity = ErrorTracker.KNOWN_PER_GROUP; // maxGroups 1
    try (ErrorTracker tracker = tracker("1.0.0", 1)) {
      for (int i = 0; i < capacity + 5; i++) {
        tracker.record(failure("step" + i), null, null);
      }
      // step0..step4 are forgotten; step5 is seen again, so step6 is now the least recent
      tracker.record(failure("step5"), null, null);
      tracker.record(failure("step15"), null, null); // a new one: step6 makes room
    }
    Path file = ErrorTracker.knownFingerprintsFile(dataDir, "shop");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines.getFirst()).isEqualTo(KnownFingerprints.HEADER);
    assertThat(lines).hasSize(1 + capacity);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }

    log.list.clear();
    try (ErrorTracker restarted = tracker("1.0.0", 1)) {
      restarted.record(failure("step5"), null, null);
      restarted.record(failure("step15"), null, null);
      restarted.record(failure("step7"), null, null);
      assertThat(newGroupLines()).as("the 10 most recently seen are known").isEmpty();
      restarted.record(failure("step6"), null, null);
      restarted.record(failure("step0"), null, null);
      assertThat(newGroupLines()).as("the least recently seen were forgotten").hasSize(2);
    }
  }

  @Test
  void aCorruptedFileStartsEmptyWithOneClearWarningAndIsRewritten() throws Exception {
    Path file = ErrorTracker.knownFingerprintsFile(dataDir, "shop");
    Files.createDirectories(file.getParent());
    Files.writeString(file, KnownFingerprints.HEADER + "\nnot-a-fingerprint\t1.0.0\n");

    try (ErrorTracker tracker = tracker("1.0.0", 500)) {
      assertThat(warnings(KnownFingerprints.class))
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w.getFormattedMessage())
                      .contains(file.toString())
                      .contains("line 2")
                      .contains("starting with none known"));
      tracker.record(failure("checkout"), null, null);
      assertThat(newGroupLines()).hasSize(1);
    }
    assertThat(Files.readAllLines(file))
        .as("rewritten in vigil's form")
        .hasSize(2)
        .first()
        .isEqualTo(KnownFingerprints.HEADER);

    Files.writeString(file, "\u0000\u0001garbage");
    log.list.clear();
    try (ErrorTracker tracker = tracker("1.0.0", 500)) {
      assertThat(warnings(KnownFingerprints.class)).hasSize(1);
      assertThat(tracker.groups()).isEmpty();
    }
  }

  @Test
  void anUnreadableAndUnwritableFileIsAWarningNeverACrash() throws Exception {
    Path file = ErrorTracker.knownFingerprintsFile(dataDir, "shop");
    Files.createDirectories(file); // a directory where the file should be, not empty
    Files.writeString(file.resolve("inside"), "x");

    try (ErrorTracker tracker = tracker("1.0.0", 500)) {
      tracker.record(failure("checkout"), null, null);
      tracker.record(failure("refund"), null, null);
      assertThat(tracker.groups()).hasSize(2);
      assertThat(newGroupLines()).hasSize(2);
    }
    assertThat(warnings(KnownFingerprints.class))
        .as("one warning for the read, one for the first failed write; not one per group")
        .hasSize(2);
  }

  private ErrorTracker tracker(String release, int maxGroups) {
    return ErrorTracker.builder()
        .service("shop")
        .release(release)
        .maxGroups(maxGroups)
        .dataDir(dataDir)
        .build();
  }

  /** A failure whose top application frame is {@code KnownFingerprintsTest#<method>}. */
  private static IllegalStateException failure(String method) {
    IllegalStateException e = new IllegalStateException("failed in " + method);
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(KnownFingerprintsTest.class.getName(), method, "Shop.java", 42)
        });
    return e;
  }

  private List<ILoggingEvent> newGroupLines() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .filter(e -> e.getFormattedMessage().startsWith("new error group"))
        .toList();
  }

  private List<ILoggingEvent> warnings(Class<?> logger) {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .filter(e -> e.getLoggerName().equals(logger.getName()))
        .toList();
  }
}
