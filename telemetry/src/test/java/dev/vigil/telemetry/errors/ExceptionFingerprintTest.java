package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint groups what is the same failure and separates what is not; the tracker's memory
 * and metric stay bounded whatever the failures.
 */
class ExceptionFingerprintTest {

  private static final List<String> APP = List.of("com.shop.");

  @Test
  void aReleaseThatMovesTheThrowingLineKeepsTheGroup() {
    Throwable before =
        failure(new IllegalStateException("order 17"), frame("com.shop.Orders", "place", 40));
    Throwable after =
        failure(new IllegalStateException("order 99"), frame("com.shop.Orders", "place", 57));

    assertThat(fingerprint(after)).isEqualTo(fingerprint(before));
  }

  @Test
  void theSameTypeThrownFromTwoApplicationMethodsIsTwoGroups() {
    Throwable place = failure(new IllegalStateException(), frame("com.shop.Orders", "place", 40));
    Throwable cancel = failure(new IllegalStateException(), frame("com.shop.Orders", "cancel", 40));

    assertThat(fingerprint(place)).isNotEqualTo(fingerprint(cancel));
  }

  @Test
  void libraryFramesAboveTheApplicationDoNotSplitTheGroup() {
    Throwable viaDriverA =
        failure(
            new IllegalStateException(),
            frame("org.h2.jdbc.JdbcStatement", "executeQuery", 10),
            frame("com.shop.Orders", "place", 40));
    Throwable viaDriverB =
        failure(
            new IllegalStateException(),
            frame("org.postgresql.jdbc.PgStatement", "executeQuery", 99),
            frame("com.shop.Orders", "place", 41));

    assertThat(fingerprint(viaDriverA)).isEqualTo(fingerprint(viaDriverB));
  }

  @Test
  void aDifferentRootCauseUnderTheSameWrapperIsAnotherGroup() {
    Throwable timeout =
        failure(
            new RuntimeException(
                "payment",
                failure(new java.net.SocketTimeoutException(), frame("com.shop.Pay", "call", 3))),
            frame("com.shop.Orders", "place", 40));
    Throwable refused =
        failure(
            new RuntimeException(
                "payment",
                failure(new java.net.ConnectException(), frame("com.shop.Pay", "call", 3))),
            frame("com.shop.Orders", "place", 40));

    assertThat(fingerprint(timeout)).isNotEqualTo(fingerprint(refused));
  }

  @Test
  void aLambdasRuntimeClassNameDoesNotSplitTheGroupBetweenRuns() {
    Throwable run1 =
        failure(
            new IllegalStateException(),
            frame("com.shop.App$$Lambda/0x00007f3c8c0a1234", "handle", -1));
    Throwable run2 =
        failure(
            new IllegalStateException(),
            frame("com.shop.App$$Lambda/0x00007f99aa0b5678", "handle", -1));

    assertThat(fingerprint(run1)).isEqualTo(fingerprint(run2));
    assertThat(ExceptionFingerprint.of(run1, APP).frames())
        .containsExactly("com.shop.App$$Lambda#handle");
  }

  @Test
  void aFloodOfDistinctFailuresKeepsAtMostTheCappedGroupsAndMetricTypes() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ErrorTracker tracker =
        ErrorTracker.builder().maxGroups(4).maxTypes(2).registry(registry).build();
    List<Throwable> kinds =
        List.of(
            new IllegalStateException(),
            new IllegalArgumentException(),
            new UnsupportedOperationException(),
            new ArithmeticException(),
            new ArrayStoreException(),
            new ClassCastException(),
            new NegativeArraySizeException(),
            new SecurityException());
    for (int round = 0; round < 3; round++) {
      for (Throwable kind : kinds) {
        tracker.record(kind, null, null);
      }
    }

    assertThat(tracker.groups()).hasSizeLessThanOrEqualTo(4);
    Map<String, Double> byType = new TreeMap<>();
    CounterSnapshot counter =
        (CounterSnapshot)
            registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("app_exceptions"))
                .findFirst()
                .orElseThrow();
    counter.getDataPoints().forEach(p -> byType.put(p.getLabels().get("type"), p.getValue()));
    assertThat(byType)
        .as("the first two classes keep their label, the other six share 'other'")
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    IllegalStateException.class.getName(),
                    3.0,
                    IllegalArgumentException.class.getName(),
                    3.0,
                    ErrorTracker.OTHER_TYPE,
                    18.0)));
    assertThat(byType.values().stream().mapToDouble(Double::doubleValue).sum())
        .as("no occurrence lost: 8 kinds x 3 rounds")
        .isEqualTo(24.0);
  }

  private static String fingerprint(Throwable t) {
    return ExceptionFingerprint.of(t, APP).value();
  }

  private static StackTraceElement frame(String type, String method, int line) {
    return new StackTraceElement(type, method, "X.java", line);
  }

  private static <T extends Throwable> T failure(T t, StackTraceElement... frames) {
    StackTraceElement[] trace = new StackTraceElement[frames.length + 1];
    System.arraycopy(frames, 0, trace, 0, frames.length);
    trace[frames.length] = frame("java.lang.Thread", "run", 1);
    t.setStackTrace(trace);
    return t;
  }
}
