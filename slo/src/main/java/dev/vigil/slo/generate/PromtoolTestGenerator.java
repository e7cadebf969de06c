package dev.vigil.slo.generate;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates promtool unit tests ({@code promtool test rules}, Prometheus 2.42 syntax) for the SLOs
 * of one rule file: for each SLO the {@link Scenario#standard standard scenarios}, replayed by
 * {@link AlertTimeline} to state which alerts fire at each checkpoint, plus one test that every
 * SLO's {@code SloSliAbsent} fires when its series are missing for its {@code for}, and stays quiet
 * while they exist.
 */
public final class PromtoolTestGenerator {

  private static final List<String> CHECKED =
      List.of(SloSeries.ALERT_PAGE, SloSeries.ALERT_TICKET, SloSeries.ALERT_EXHAUSTED);

  /**
   * A generated test file and what could not be generated.
   *
   * @param document the test file as maps and lists
   * @param skipped one line per SLO without scenario tests, saying why
   */
  public record Output(Map<String, Object> document, List<String> skipped) {}

  /**
   * @param slos the SLOs of one rule file
   * @param ruleFile the rule file's path relative to the test file, e.g. {@code
   *     ../../rules/generated/catalog.yml}
   * @return the test file
   */
  public Output generate(List<Slo> slos, String ruleFile) {
    List<Object> tests = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Slo slo : slos) {
      TestSeries.Result series = TestSeries.find(slo.sli());
      if (series.reason() != null) {
        skipped.add(slo.service() + "/" + slo.name() + ": no scenario tests, " + series.reason());
        continue;
      }
      Texts texts = new Texts(slo);
      for (Scenario scenario : scenarios(slo, series)) {
        AlertTimeline timeline = new AlertTimeline(slo, scenario);
        Map<String, Object> test = new LinkedHashMap<>();
        test.put(
            "name",
            slo.service() + " " + slo.name() + ": " + scenario.name() + detection(timeline));
        test.put("interval", "1m");
        test.put("input_series", inputSeries(scenario, series));
        List<Object> checks = new ArrayList<>();
        for (int minute : checkpoints(timeline)) {
          for (String alert : CHECKED) {
            if (timeline.decided(alert, minute) && printedExactly(texts, timeline, minute, alert)) {
              checks.add(check(texts, timeline, minute, alert));
            }
          }
        }
        test.put("alert_rule_test", checks);
        tests.add(test);
      }
    }
    tests.add(absentTest(slos));
    if (skipped.isEmpty()) {
      tests.add(presentTest(slos));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("rule_files", List.of(ruleFile));
    doc.put("evaluation_interval", "1m");
    doc.put("tests", tests);
    return new Output(doc, skipped);
  }

  /** Probe histories for time slice SLIs, the standard traffic scenarios for the others. */
  private static List<Scenario> scenarios(Slo slo, TestSeries.Result series) {
    return series.probe() != null ? Scenario.probeHistories(slo) : Scenario.standard(slo);
  }

  /**
   * For scenarios with an onset: when the first page fires, e.g. {@code " (pages 3m after onset)"}.
   */
  private static String detection(AlertTimeline timeline) {
    int onset = timeline.scenario().onset();
    if (onset < 0) {
      return "";
    }
    int page = timeline.firstFiring(SloSeries.ALERT_PAGE, onset);
    return page < 0
        ? " (never pages)"
        : " (pages " + PromDuration.ofMinutes(page - onset) + " after onset)";
  }

  /**
   * The minutes a scenario's test asserts: the first hour, the end, shortly after the errors start,
   * the minute before and of the first page and ticket, and when the page resolves.
   */
  static TreeSet<Integer> checkpoints(AlertTimeline timeline) {
    int end = timeline.scenario().minutes();
    TreeSet<Integer> minutes = new TreeSet<>(List.of(60, end));
    int firstPage = timeline.firstFiring(SloSeries.ALERT_PAGE, 0);
    if (firstPage > 0) {
      minutes.add(firstPage - 1);
      minutes.add(firstPage);
      int resolved = timeline.firstQuiet(SloSeries.ALERT_PAGE, firstPage);
      if (resolved > 0) {
        minutes.add(resolved);
      }
    }
    int firstTicket = timeline.firstFiring(SloSeries.ALERT_TICKET, 0);
    if (firstTicket > 0) {
      minutes.add(firstTicket - 1);
      minutes.add(firstTicket);
    }
    int onset = timeline.scenario().onset();
    if (onset > 0) {
      for (int m : List.of(1, 2, 5, 10, 30)) {
        minutes.add(onset + m);
      }
    }
    minutes.removeIf(m -> m > end || m < 1);
    return minutes;
  }

  private static List<Object> inputSeries(Scenario scenario, TestSeries.Result series) {
    if (series.probe() != null) {
      return List.of(
          YamlEmitter.ordered("series", series.probe(), "values", gauge(scenario.probeSuccess())));
    }
    BigDecimal[] bad = scenario.badPerMinute();
    int n = scenario.minutes();
    BigDecimal[] good = new BigDecimal[n + 1];
    BigDecimal[] all = new BigDecimal[n + 1];
    for (int t = 0; t <= n; t++) {
      all[t] = t == 0 ? BigDecimal.ZERO : Scenario.EVENTS_PER_MINUTE;
      good[t] = all[t].subtract(bad[t]);
    }
    List<Object> out = new ArrayList<>();
    if (series.fastBucket() != null) {
      out.add(YamlEmitter.ordered("series", series.fastBucket(), "values", values(good)));
      out.add(YamlEmitter.ordered("series", series.count(), "values", values(all)));
      return out;
    }
    TestSeries.Pair pair = series.pair().orElseThrow();
    out.add(YamlEmitter.ordered("series", pair.bad(), "values", values(bad)));
    out.add(
        YamlEmitter.ordered(
            "series", pair.good(), "values", values(pair.goodCountsAll() ? all : good)));
    return out;
  }

  /**
   * promtool's expanding notation of a gauge from its value each minute: {@code 1x59 0x9 1x60}
   * ({@code vxN} is N+1 samples of v).
   */
  static String gauge(BigDecimal[] values) {
    List<String> runs = new ArrayList<>();
    int t = 0;
    while (t < values.length) {
      int run = 1;
      while (t + run < values.length && values[t + run].compareTo(values[t]) == 0) {
        run++;
      }
      String v = BudgetMath.plain(values[t]).toPlainString();
      runs.add(run == 1 ? v : v + "x" + (run - 1));
      t += run;
    }
    return String.join(" ", runs);
  }

  /**
   * promtool's expanding notation of a counter from its per-minute increments: {@code 0
   * 1000+1000x59 ...}.
   */
  static String values(BigDecimal[] increments) {
    StringBuilder out = new StringBuilder("0");
    BigDecimal value = BigDecimal.ZERO;
    int t = 1;
    while (t < increments.length) {
      BigDecimal inc = increments[t];
      int run = 0;
      while (t + run < increments.length && increments[t + run].compareTo(inc) == 0) {
        run++;
      }
      BigDecimal first = value.add(inc);
      out.append(' ')
          .append(BudgetMath.plain(first).toPlainString())
          .append('+')
          .append(BudgetMath.plain(inc).toPlainString())
          .append('x')
          .append(run - 1);
      value = value.add(inc.multiply(BigDecimal.valueOf(run)));
      t += run;
    }
    return out.toString();
  }

  /**
   * Whether the annotations of the alert's firings at {@code minute} read the same for every value
   * Prometheus' float64 arithmetic may produce ({@link AlertTimeline.Firing#low()} to {@link
   * AlertTimeline.Firing#high()}). Not so on a rounding boundary of the printed value: a budget
   * exhausted to exactly 0 prints {@code 0.0} or {@code -0.0} depending on the last bit of the
   * period ratio (an SLO with a budget above 10% met that in its 10x burn scenario). Such a minute
   * is not asserted for that alert; its neighbours are.
   */
  static boolean printedExactly(Texts texts, AlertTimeline timeline, int minute, String alertName) {
    for (AlertTimeline.Firing f : timeline.firingAt(minute)) {
      if (f.alertName().equals(alertName)
          && !texts.description(f, f.low()).equals(texts.description(f, f.high()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The annotations of one SLO's alerts: each tier's fixed text is built once and rendered at every
   * asserted minute of every scenario.
   */
  static final class Texts {
    private final Slo slo;
    private final Map<AlertTier, AlertText.Burn> burns = new HashMap<>();
    private final String exhaustedTail;

    /**
     * @param slo the SLO whose alerts are described
     */
    Texts(Slo slo) {
      this.slo = slo;
      this.exhaustedTail = AlertText.exhaustedTail(slo);
    }

    private AlertText.Burn burn(AlertTier tier) {
      return burns.computeIfAbsent(tier, t -> AlertText.Burn.of(slo, t));
    }

    /** The description annotation of a firing for one value it may have. */
    String description(AlertTimeline.Firing f, double value) {
      return f.tier() == null
          ? AlertText.exhaustedDescription(exhaustedTail, value)
          : burn(f.tier()).description(value);
    }

    /** The summary annotation of a firing. */
    String summary(AlertTimeline.Firing f) {
      return f.tier() == null ? AlertText.exhaustedSummary(slo) : burn(f.tier()).summary();
    }
  }

  private static Map<String, Object> check(
      Texts texts, AlertTimeline timeline, int minute, String alertName) {
    Slo slo = texts.slo;
    List<Object> expected = new ArrayList<>();
    for (AlertTimeline.Firing f : timeline.firingAt(minute)) {
      if (!f.alertName().equals(alertName)) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>(slo.labels());
      labels.put("service", slo.service());
      labels.put("slo", slo.name());
      Map<String, String> annotations = new LinkedHashMap<>();
      if (f.tier() != null) {
        labels.put("severity", f.tier().severity());
        labels.put("long_window", f.tier().longWindow().toString());
        labels.put("short_window", f.tier().shortWindow().toString());
        annotations.put("summary", texts.summary(f));
        annotations.put("description", texts.description(f, f.value()));
      } else {
        labels.put("severity", "warning");
        annotations.put("summary", texts.summary(f));
        annotations.put("description", texts.description(f, f.value()));
      }
      annotations.put("runbook_url", AlertText.runbook(alertName));
      expected.add(YamlEmitter.ordered("exp_labels", labels, "exp_annotations", annotations));
    }
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("eval_time", PromDuration.ofMinutes(minute).toString());
    check.put("alertname", alertName);
    check.put("exp_alerts", expected);
    return check;
  }

  private static Map<String, Object> absentTest(List<Slo> slos) {
    long minutes =
        slos.stream().mapToLong(s -> s.alerting().absentFor().minutes()).max().orElse(10);
    List<Object> expected = new ArrayList<>();
    for (Slo slo : slos) {
      Map<String, String> labels = new LinkedHashMap<>(slo.labels());
      labels.put("service", slo.service());
      labels.put("slo", slo.name());
      labels.put("severity", "warning");
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put("summary", AlertText.absentSummary(slo));
      annotations.put("description", AlertText.absentDescription(slo));
      annotations.put("runbook_url", AlertText.runbook(SloSeries.ALERT_ABSENT));
      expected.add(YamlEmitter.ordered("exp_labels", labels, "exp_annotations", annotations));
    }
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("eval_time", PromDuration.ofMinutes(minutes).toString());
    check.put("alertname", SloSeries.ALERT_ABSENT);
    check.put("exp_alerts", expected);
    Map<String, Object> test = new LinkedHashMap<>();
    test.put(
        "name",
        "no SLI series at all: every SLO's SloSliAbsent waits out its for ("
            + PromDuration.ofMinutes(minutes)
            + "), then fires");
    test.put("interval", "1m");
    test.put("input_series", List.of());
    test.put("alert_rule_test", List.of(quiet(minutes - 1, SloSeries.ALERT_ABSENT), check));
    return test;
  }

  /**
   * Every SLO's SLI series present (the healthy scenario of each, side by side) for twice the
   * longest absent {@code for}: no {@code SloSliAbsent}. Generated only when every SLO of the file
   * has test series.
   */
  private static Map<String, Object> presentTest(List<Slo> slos) {
    long minutes =
        2 * slos.stream().mapToLong(s -> s.alerting().absentFor().minutes()).max().orElse(10);
    Set<Object> input = new LinkedHashSet<>();
    for (Slo slo : slos) {
      TestSeries.Result series = TestSeries.find(slo.sli());
      input.addAll(inputSeries(scenarios(slo, series).getFirst(), series));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("name", "every SLI series present: SloSliAbsent stays quiet");
    test.put("interval", "1m");
    test.put("input_series", List.copyOf(input));
    test.put("alert_rule_test", List.of(quiet(minutes, SloSeries.ALERT_ABSENT)));
    return test;
  }

  /**
   * A check that {@code alertName} is not firing at {@code minute} (promtool: empty exp_alerts).
   */
  private static Map<String, Object> quiet(long minute, String alertName) {
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("eval_time", PromDuration.ofMinutes(minute).toString());
    check.put("alertname", alertName);
    check.put("exp_alerts", List.of());
    return check;
  }
}
