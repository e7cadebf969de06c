package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A service level indicator: how to count bad events and all events over a window, in PromQL.
 *
 * <p>Every query returns events per second averaged over the window (a {@code rate}); the error
 * ratio is bad / total. {@link #WINDOW} in a query is replaced by the window, e.g. {@code 5m}.
 */
public sealed interface Sli permits Sli.Events, Sli.Latency, Sli.Timeslices {

  /** The placeholder replaced by the window in event queries. */
  String WINDOW = "{{window}}";

  /**
   * @param window e.g. {@code 5m}
   * @return PromQL for bad events per second over the window
   */
  String badQuery(PromDuration window);

  /**
   * @param window e.g. {@code 5m}
   * @return PromQL for all events per second over the window
   */
  String totalQuery(PromDuration window);

  /**
   * The error ratio over a window read directly from the SLI's raw series, bad / total: the
   * reference the recorded counts are checked against (and the cost they avoid: it reads every raw
   * sample of the window). The rules, the report and the console read {@link SloSeries#ratioOver}
   * instead. No bad series (nothing has failed yet) is 0 bad events; no total series is no value
   * (no traffic, no ratio).
   *
   * @param window e.g. {@code 5m}, or the whole period, e.g. {@code 30d}
   * @return PromQL for the ratio 0..1, on two lines around the {@code /}
   */
  default String errorRatioQuery(PromDuration window) {
    return "(" + badQuery(window) + " or vector(0))\n/\n" + totalQuery(window) + "\n";
  }

  /**
   * Events given as PromQL: either bad or good, plus total.
   *
   * @param bad PromQL with {@code {{window}}} returning bad events per second, or null when good is
   *     given
   * @param good PromQL with {@code {{window}}} returning good events per second, or null when bad
   *     is given
   * @param total PromQL with {@code {{window}}} returning all events per second
   */
  record Events(String bad, String good, String total) implements Sli {
    /**
     * Bad events per second: the bad query, or total minus good. An absent good series (a new
     * deployment where every request fails has no success series yet) counts as no good events,
     * i.e. every event is bad: {@code (total) - ((good) or vector(0))}.
     */
    @Override
    public String badQuery(PromDuration window) {
      if (bad != null) {
        return at(bad, window);
      }
      return "(" + at(total, window) + ") - ((" + at(good, window) + ") or vector(0))";
    }

    @Override
    public String totalQuery(PromDuration window) {
      return at(total, window);
    }

    private static String at(String query, PromDuration window) {
      return oneSeries(query.replace(WINDOW, window.toString()).strip());
    }
  }

  /**
   * Aggregates a query to a single series: a query that is already {@code sum(...)} as a whole (no
   * {@code by}/{@code without}) is kept, anything else is wrapped in {@code sum(...)}. Per-series
   * ratios would otherwise compare one replica's bad events with another's total (0.05% errors
   * paging at 1000x). Summing rates is exact: the rate of a sum of counters is the sum of their
   * rates.
   *
   * @param query PromQL returning events per second, possibly per series
   * @return PromQL returning one series without labels
   */
  static String oneSeries(String query) {
    if (query.startsWith("sum(") && closingParen(query, 3) == query.length() - 1) {
      return query;
    }
    return "sum(" + query + ")";
  }

  /**
   * @return the index of the parenthesis closing the one at {@code open}, or -1
   */
  private static int closingParen(String query, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '"' && (i == 0 || query.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Latency from a Prometheus histogram: an event is bad when slower than the threshold, i.e. not
   * in the bucket {@code le="<threshold>"}.
   *
   * @param metric the histogram's base name, e.g. {@code http_request_duration_seconds}
   * @param selector label equalities selecting the service's series, e.g. {@code service=catalog}
   * @param thresholdSeconds the latency threshold in seconds; must be a bucket boundary
   */
  record Latency(String metric, Map<String, String> selector, BigDecimal thresholdSeconds)
      implements Sli {

    /** Copies the selector in label order. */
    public Latency {
      selector = new TreeMap<>(selector);
    }

    @Override
    public String badQuery(PromDuration window) {
      return "(" + totalQuery(window) + ") - (" + fastQuery(window) + ")";
    }

    @Override
    public String totalQuery(PromDuration window) {
      return "sum(rate(" + countSeries() + "[" + window + "]))";
    }

    /**
     * Events per second faster than the threshold. When the threshold's bucket has no series (it is
     * not a bucket boundary, or the histogram has not been scraped yet) nothing is fast, so every
     * request counts as slow: {@code or vector(0)}. Without it the difference total - fast would be
     * empty and read as 0% slow.
     *
     * @param window e.g. 5m
     * @return PromQL for events per second faster than the threshold
     */
    public String fastQuery(PromDuration window) {
      return "(sum(rate(" + fastBucketSeries() + "[" + window + "])) or vector(0))";
    }

    /**
     * @return the selector of the histogram's {@code _count}, e.g. {@code
     *     m_count{service="catalog"}}
     */
    public String countSeries() {
      return metric + "_count" + matchers(Map.of());
    }

    /**
     * @return the selector of the threshold's bucket, e.g. {@code
     *     m_bucket{le="0.5",service="catalog"}}
     */
    public String fastBucketSeries() {
      return metric + "_bucket" + matchers(Map.of("le", leValue()));
    }

    /**
     * @return the selector of all the histogram's buckets, e.g. {@code m_bucket{service="catalog"}}
     */
    public String bucketSeries() {
      return metric + "_bucket" + matchers(Map.of());
    }

    /**
     * @return the threshold as Prometheus writes the {@code le} label: {@code 0.5}, {@code 1}
     */
    public String leValue() {
      return BudgetMath.plain(thresholdSeconds).toPlainString();
    }

    private String matchers(Map<String, String> extra) {
      Map<String, String> all = new TreeMap<>(selector);
      all.putAll(extra);
      return all.entrySet().stream()
          .map(
              e ->
                  e.getKey().equals("le") && isWholeNumber()
                      ? "le=~\"" + e.getValue() + "|" + e.getValue() + "\\\\.0\""
                      : e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * A whole-number threshold is written {@code le="1"} by some clients and {@code le="1.0"} by
     * others (client_java 1.x), so its bucket is matched as either.
     */
    private boolean isWholeNumber() {
      return BudgetMath.plain(thresholdSeconds).scale() <= 0;
    }
  }

  /**
   * Time slices (OpenSLO's {@code Timeslices} budgeting): time is cut into slices, and a slice is
   * good when its value reaches the target, e.g. the share of blackbox probes that succeeded in the
   * minute before it. vigil judges one slice per rule evaluation (every minute: the SLO groups are
   * evaluated every {@link RecordedWindows#BASE}) on the minute before it, records the verdict as
   * {@code slo:sli_slice_good:ratio} (1 good, 0 bad) and counts verdicts: the error ratio over a
   * window is bad verdicts / verdicts, i.e. the share of the window's time the service was down.
   * 99.9% over 30d allows 43.2 minutes down. Unlike request SLIs this still measures while the
   * service cannot answer at all (the probe keeps reporting 0); it misses partial failures the
   * probe does not exercise.
   *
   * <p>The window queries return verdicts per second ({@code count_over_time(...) / window
   * seconds}, over {@link RecordedWindows#range}: one verdict per evaluation of the group, every
   * {@link RecordedWindows#BASE}), so the minimum-events guard counts verdicts. Counting recorded
   * verdicts instead of re-judging every minute of 30 days with a subquery keeps each evaluation
   * cheap; time in which no verdict was recorded (Prometheus down, so no probes either) counts
   * neither way.
   *
   * <p>Two budgeting methods, OpenSLO's names: {@code Timeslices} (a target is given: a slice
   * counts wholly good or wholly bad) and {@code RatioTimeslices} (no target: a slice counts as its
   * value, so the SLI is the average of the slices' good ratios; the recorded "verdict" is then the
   * slice's value 0..1 and the same window queries average it).
   *
   * @param good PromQL with {@code {{window}}} returning the slice's value 0..1, e.g. {@code
   *     avg_over_time(probe_success{job="blackbox-healthz"}[{{window}}])}
   * @param slice the slice length the good query looks back over, e.g. 1m
   * @param target Timeslices: a slice is good when its value is at least this, 0 < target <= 1;
   *     null for RatioTimeslices
   * @param verdicts the selector of the recorded verdicts of this SLO, e.g. {@code
   *     slo:sli_slice_good:ratio{service="catalog",slo="uptime"}}
   */
  record Timeslices(String good, PromDuration slice, BigDecimal target, String verdicts)
      implements Sli {

    /** The recorded verdict of each slice: 1 good, 0 bad. */
    public static final String VERDICT_SERIES = "slo:sli_slice_good:ratio";

    /**
     * @param service the SLO's service
     * @param slo the SLO's name
     * @return the selector of its recorded verdicts
     */
    public static String verdictsOf(String service, String slo) {
      return VERDICT_SERIES + "{service=\"" + service + "\",slo=\"" + slo + "\"}";
    }

    /** OpenSLO's name of the budgeting method counting whole slices. */
    public static final String TIMESLICES = "Timeslices";

    /** OpenSLO's name of the budgeting method averaging the slices' ratios. */
    public static final String RATIO_TIMESLICES = "RatioTimeslices";

    /**
     * @return {@link #TIMESLICES} when a slice target is given, else {@link #RATIO_TIMESLICES}
     */
    public String budgetingMethod() {
      return target == null ? RATIO_TIMESLICES : TIMESLICES;
    }

    /**
     * @return PromQL for the current slice's verdict, one series (several probers: a slice is as
     *     good as its worst prober): Timeslices 1 good or 0 bad, {@code min(<good over the slice>)
     *     >= bool target}; RatioTimeslices the slice's good ratio 0..1, {@code min(<good over the
     *     slice>)}
     */
    public String verdictQuery() {
      String value = "min(" + good.replace(WINDOW, slice.toString()).strip() + ")";
      return target == null
          ? value
          : value + " >= bool " + BudgetMath.plain(target).toPlainString();
    }

    /**
     * @return bad verdicts per second over the window
     */
    @Override
    public String badQuery(PromDuration window) {
      String range = RecordedWindows.range(window);
      return "((count_over_time("
          + verdicts
          + "["
          + range
          + "]) - sum_over_time("
          + verdicts
          + "["
          + range
          + "])) / "
          + window.seconds()
          + ")";
    }

    /**
     * @return verdicts per second over the window
     */
    @Override
    public String totalQuery(PromDuration window) {
      return "(count_over_time("
          + verdicts
          + "["
          + RecordedWindows.range(window)
          + "]) / "
          + window.seconds()
          + ")";
    }
  }
}
