package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The backtest's alert timeline without a Prometheus: the minutes an alert's expression had a value
 * become notifications the way Prometheus' rule manager turns them into alerts (documentation of
 * alerting rules: pending from the first evaluation with a value, firing once that has lasted
 * {@code for}, resolved at the first evaluation without one; a notification keeps when it went
 * pending), and recorded series are replaced by the expressions that record them. {@code
 * BacktestAgainstPromtoolTest} checks the whole backtest against promtool on generated scenarios.
 */
class AlertReplayTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Map<String, String> PAGE_1H =
      Map.of("severity", "critical", "long_window", "1h", "short_window", "5m");

  @Test
  void withoutForAnAlertFiresAtEveryMinuteItsExpressionHasAValueAndResolvesAtTheFirstWithout() {
    Backtest.AlertResult result = replay("0s", minutes(3, 4, 5), 0, 10);

    assertThat(result.notifications()).containsExactly(notification(3, 3, 6));
    assertThat(result.firingMinutes()).containsExactlyElementsOf(minutes(3, 4, 5));
  }

  @Test
  void withForAnAlertFiresOnlyOnceItsExpressionHasHeldThatLong() {
    // active from minute 2; for 3m: pending at 2, 3, 4, firing at 5 (5 - 2 >= 3), resolved at 8
    Backtest.AlertResult result = replay("3m", minutes(2, 3, 4, 5, 6, 7), 0, 10);

    assertThat(result.notifications()).containsExactly(notification(2, 5, 8));
    assertThat(result.firingMinutes()).containsExactlyElementsOf(minutes(5, 6, 7));
    assertThat(result.forDuration()).isEqualTo(PromDuration.parse("3m"));
  }

  @Test
  void aMinuteWithoutAValueResetsThePendingAlert() {
    // 2, 3 then a gap at 4: held 1 minute of the 2 it needs; again from 5: fires at 7
    Backtest.AlertResult result = replay("2m", minutes(2, 3, 5, 6, 7, 8), 0, 12);

    assertThat(result.notifications()).containsExactly(notification(5, 7, 9));
  }

  @Test
  void anAlertStillFiringAtTheEndOfTheRangeHasNoResolution() {
    Backtest.AlertResult result = replay("0s", minutes(1, 2, 8, 9, 10), 0, 10);

    assertThat(result.notifications())
        .containsExactly(notification(1, 1, 3), new Backtest.Notification(at(8), at(8), null));
  }

  @Test
  void minutesOutsideTheRangeAreNotEvaluated() {
    Backtest.AlertResult result = replay("0s", minutes(0, 1, 2, 3, 9, 10, 11), 2, 9);

    assertThat(result.firingMinutes()).containsExactlyElementsOf(minutes(2, 3, 9));
    assertThat(result.notifications())
        .containsExactly(notification(2, 2, 4), new Backtest.Notification(at(9), at(9), null));
  }

  @Test
  void anAlertIsTitledByItsWindowsAndPagesOnlyWhenCritical() {
    Backtest.AlertResult page = replay("0s", Set.of(), 0, 1);
    Backtest.AlertResult absent =
        Backtest.replayFor(
            "SloSliAbsent",
            Map.of("severity", "warning"),
            PromDuration.parse("10m"),
            Set.of(),
            T0,
            T0);

    assertThat(page.title()).isEqualTo("SloBurnRatePage 1h/5m");
    assertThat(page.pages()).isTrue();
    assertThat(page.labels()).isEqualTo(PAGE_1H);
    assertThat(absent.title()).isEqualTo("SloSliAbsent");
    assertThat(absent.pages()).isFalse();
    assertThat(absent.notifications()).isEmpty();
  }

  @Test
  void recordedSeriesAreReplacedByTheirExpressionsUntilOnlyMinuteCountsRemain() {
    Map<String, String> recorded = new LinkedHashMap<>();
    recorded.put("burn{s=\"a\"}", "ratio{s=\"a\"} / 0.001");
    recorded.put("ratio{s=\"a\"}", "bad{s=\"a\"} / total{s=\"a\"}");

    assertThat(Backtest.inline("burn{s=\"a\"} > 14.4", recorded))
        .isEqualTo("((bad{s=\"a\"} / total{s=\"a\"}) / 0.001) > 14.4");
    assertThat(Backtest.inline("bad{s=\"a\"}", recorded))
        .as("nothing recorded: unchanged")
        .isEqualTo("bad{s=\"a\"}");
  }

  @Test
  void aRecordedNameInsideALongerOneIsNotReplacedWithinIt() {
    Map<String, String> recorded = new LinkedHashMap<>();
    recorded.put("rate5m{s=\"a\"}", "short");
    recorded.put("error_rate5m{s=\"a\"}", "long");

    assertThat(Backtest.inline("error_rate5m{s=\"a\"} + rate5m{s=\"a\"}", recorded))
        .isEqualTo("(long) + (short)");
  }

  @Test
  void recordingsThatReferToEachOtherAreExpandedABoundedNumberOfTimesInsteadOfForever() {
    Map<String, String> recorded = new LinkedHashMap<>();
    recorded.put("a{s=\"x\"}", "b{s=\"x\"} + 1");
    recorded.put("b{s=\"x\"}", "a{s=\"x\"} * 2");

    String inlined = Backtest.inline("a{s=\"x\"} > 0", recorded);

    assertThat(inlined).startsWith("(").endsWith(" > 0").contains("{s=\"x\"}");
  }

  private static Backtest.AlertResult replay(
      String forDuration, Set<Instant> active, int first, int last) {
    return Backtest.replayFor(
        "SloBurnRatePage", PAGE_1H, PromDuration.parse(forDuration), active, at(first), at(last));
  }

  private static Backtest.Notification notification(int pending, int firing, int resolved) {
    return new Backtest.Notification(at(pending), at(firing), at(resolved));
  }

  private static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  private static Set<Instant> minutes(int... minutes) {
    Set<Instant> out = new TreeSet<>();
    IntStream.of(minutes).forEach(m -> out.add(at(m)));
    return out;
  }
}
